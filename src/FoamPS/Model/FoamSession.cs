using System;

namespace FoamPS
{
    /// <summary>A warm container for many short commands on one case (FoamPS.FoamSession).</summary>
    public sealed class FoamSession
    {
        /// <summary>The session container's id.</summary>
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Case { get; set; } = "";
        public string Image { get; set; } = "";
        public string User { get; set; } = "";
        public string State { get; set; } = "";
        public DateTime Created { get; set; }
        public string Owner { get; set; } = "";
        public string DockerHost { get; set; } = "";

        public override string ToString() => Name;
    }
}
