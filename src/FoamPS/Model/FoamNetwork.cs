using System;

namespace FoamPS
{
    /// <summary>A Docker network made by New-FoamNetwork (FoamPS.FoamNetwork).</summary>
    public sealed class FoamNetwork
    {
        public string Name { get; set; } = "";
        public string Id { get; set; } = "";
        public string Driver { get; set; } = "";

        /// <summary>True when containers on it cannot reach anything outside it.</summary>
        public bool Internal { get; set; }

        public string[] Subnets { get; set; } = Array.Empty<string>();
        public DateTime Created { get; set; }

        /// <summary>Names of the containers attached to it.</summary>
        public string[] Containers { get; set; } = Array.Empty<string>();

        /// <summary>host:pid of the PowerShell process that made it.</summary>
        public string Owner { get; set; } = "";

        public string DockerHost { get; set; } = "";

        public override string ToString() => Name;
    }
}
