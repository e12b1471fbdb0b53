using System;

namespace FoamPS
{
    /// <summary>A local image (FoamPS.FoamImage).</summary>
    public sealed class FoamImage
    {
        /// <summary>The reference asked for, or the image's first tag.</summary>
        public string Reference { get; set; } = "";

        public string Id { get; set; } = "";

        /// <summary>The registry digest (sha256:...) of the reference, when the image came from a registry.</summary>
        public string? Digest { get; set; }

        public string[] Tags { get; set; } = Array.Empty<string>();
        public DateTime Created { get; set; }
        public long SizeBytes { get; set; }

        /// <summary>The OpenFOAM version, when the image's environment or labels reveal it.</summary>
        public string? OpenFoamVersion { get; set; }

        public string DockerHost { get; set; } = "";

        public override string ToString() => Reference;
    }
}
