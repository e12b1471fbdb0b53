using System;

namespace FoamPS
{
    /// <summary>Defaults shared by the cmdlets.</summary>
    public static class FoamDefaults
    {
        /// <summary>The image used when none is given and $env:FOAMPS_IMAGE is not set.</summary>
        public const string BuiltInImage = "opencfd/openfoam-default:latest";

        /// <summary>$env:FOAMPS_IMAGE when set, else <see cref="BuiltInImage"/>.</summary>
        public static string Image
        {
            get
            {
                var fromEnv = Environment.GetEnvironmentVariable("FOAMPS_IMAGE");
                return string.IsNullOrWhiteSpace(fromEnv) ? BuiltInImage : fromEnv!.Trim();
            }
        }
    }
}
