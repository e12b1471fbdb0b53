using System;

namespace FoamPS
{
    /// <summary>The outcome of one command run in a container (FoamPS.FoamRunResult).</summary>
    public sealed class FoamRunResult
    {
        /// <summary>The case directory on the host.</summary>
        public string Case { get; set; } = "";

        /// <summary>The shell command line that ran (arguments quoted).</summary>
        public string Command { get; set; } = "";

        /// <summary>The OpenFOAM application (or script) the command line runs; names the log.</summary>
        public string Application { get; set; } = "";

        public string Image { get; set; } = "";
        public string ContainerId { get; set; } = "";
        public string ContainerName { get; set; } = "";

        /// <summary>The exit code of the command; -1 when it was stopped before it exited.</summary>
        public long ExitCode { get; set; }

        public bool Succeeded { get; set; }
        public DateTime StartTime { get; set; }
        public DateTime EndTime { get; set; }
        public TimeSpan Duration { get; set; }

        /// <summary>The log file on the host, or null with -NoLog.</summary>
        public string? LogPath { get; set; }

        /// <summary>Bytes the command wrote (stdout and stderr).</summary>
        public long OutputBytes { get; set; }

        /// <summary>uid:gid the command ran as, or the image's default user when empty.</summary>
        public string User { get; set; } = "";

        /// <summary>The OpenFOAM environment script that was sourced.</summary>
        public string BashRc { get; set; } = "";

        public string DockerHost { get; set; } = "";

        /// <summary>How the case reached the container: Bind (mounted) or Copy (sent in, changes copied back).</summary>
        public string CaseTransfer { get; set; } = "Bind";

        /// <summary>Copy runs: files, links and directories the run created or changed, written back into the case.</summary>
        public int CopiedBack { get; set; }

        /// <summary>Copy runs: files, links and empty directories the command deleted, removed here too (only those unchanged here since they were sent).</summary>
        public int DeletedHere { get; set; }

        /// <summary>Copy runs: entries refused on the way back ("name: why"), never written.</summary>
        public string[] Refused { get; set; } = System.Array.Empty<string>();

        /// <summary>For a failed run: OpenFOAM's error text (FOAM FATAL ERROR ...), else what happened in a line.</summary>
        public string? FatalError { get; set; }

        /// <summary>True when the run was killed for running out of memory.</summary>
        public bool OutOfMemory { get; set; }

        /// <summary>The failure the cmdlet reports as an error (not shown to users as a property).</summary>
        internal FoamCommandFailedException? Failure { get; set; }

        public override string ToString() => $"{Application} in {Case}: exit {ExitCode}";
    }
}
