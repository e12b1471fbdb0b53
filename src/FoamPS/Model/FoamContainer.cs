using System;

namespace FoamPS
{
    /// <summary>A container FoamPS started (FoamPS.FoamContainer): what it runs, where, and its state.</summary>
    public sealed class FoamContainer
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";

        /// <summary>The case directory on the host.</summary>
        public string Case { get; set; } = "";

        public string Command { get; set; } = "";
        public string Application { get; set; } = "";
        public string Image { get; set; } = "";

        /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
        public string State { get; set; } = "";

        /// <summary>The engine's human status ("Up 3 minutes", "Exited (0) 2 seconds ago").</summary>
        public string Status { get; set; } = "";

        public DateTime Created { get; set; }
        public DateTime? StartedAt { get; set; }
        public DateTime? FinishedAt { get; set; }

        /// <summary>The exit code once the container has exited; null while it runs.</summary>
        public long? ExitCode { get; set; }

        /// <summary>True when the kernel killed it for running out of memory.</summary>
        public bool OutOfMemory { get; set; }

        /// <summary>The log file on the host, or null.</summary>
        public string? LogPath { get; set; }

        /// <summary>True for a run started with -Detach.</summary>
        public bool Detached { get; set; }

        /// <summary>host:pid of the PowerShell process that started it.</summary>
        public string Owner { get; set; } = "";

        public string User { get; set; } = "";
        public string DockerHost { get; set; } = "";

        public override string ToString() => Id.Length >= 12 ? Id.Substring(0, 12) : Id;
    }
}
