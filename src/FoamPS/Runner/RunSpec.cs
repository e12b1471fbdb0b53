using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using FoamPS.Engine;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>When a run pulls its image first.</summary>
    public enum PullPolicy
    {
        /// <summary>Pull when the engine does not have the image.</summary>
        Missing,
        /// <summary>Pull before every run.</summary>
        Always,
        /// <summary>Never pull: an absent image is an ImageNotFound error.</summary>
        Never,
    }

    /// <summary>How the case gets to the engine (Invoke-FoamCommand -CaseTransfer).</summary>
    public enum CaseTransfer
    {
        /// <summary>Bind when the engine is local (unix socket, named pipe, loopback), else Copy.</summary>
        Auto,
        /// <summary>Bind-mount the case directory: the engine must see this machine's paths.</summary>
        Bind,
        /// <summary>Copy the case into the container before the command and what changed back after it.</summary>
        Copy,
    }

    /// <summary>Everything a run needs, decided before anything is sent to the engine.</summary>
    public sealed class RunSpec
    {
        private static readonly Regex UserPart = new Regex("^(?:[0-9]{1,10}|[a-z_][a-z0-9_.-]{0,31})$", RegexOptions.CultureInvariant);

        /// <summary>The case directory on the host (absolute).</summary>
        public string CasePath { get; set; } = "";

        /// <summary>The shell command line, as given.</summary>
        public string Command { get; set; } = "";

        /// <summary>Arguments appended to the command, each quoted.</summary>
        public IList<string> Arguments { get; set; } = new List<string>();

        public string Image { get; set; } = "";

        /// <summary>uid[:gid] or user[:group]; null runs as the host's uid:gid (Linux, macOS) or the image's user.</summary>
        public string? User { get; set; }

        public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();

        /// <summary>The log file (absolute); null means log.&lt;application&gt; in the case.</summary>
        public string? LogPath { get; set; }

        public bool NoLog { get; set; }

        /// <summary>The environment script inside the image; null detects it.</summary>
        public string? BashRc { get; set; }

        public DockerEndpoint Endpoint { get; set; } = DockerEndpoint.Default;

        public PullPolicy Pull { get; set; } = PullPolicy.Missing;

        /// <summary>The container's memory limit in bytes (no swap beyond it); null: none.</summary>
        public long? MemoryBytes { get; set; }

        /// <summary>CPUs the container may use (docker --cpus); null: no limit.</summary>
        public double? Cpus { get; set; }

        /// <summary>CPUs the container may run on ("0-3", "0,2"); null: any.</summary>
        public string? CpusetCpus { get; set; }

        /// <summary>
        /// The network the container joins: "none" by default (a solver needs none, and a container
        /// without one starts faster and can reach nothing); "bridge" or a user-defined network to opt in.
        /// </summary>
        public string Network { get; set; } = "none";

        /// <summary>How the case reaches the container: a bind mount, or copies in and out through the archive API.</summary>
        public CaseTransfer Transfer { get; set; } = CaseTransfer.Auto;

        /// <summary>True when this run copies the case (Copy, or Auto on an engine that cannot see this machine's paths).</summary>
        public bool CopiesCase => Transfer == CaseTransfer.Copy ||
            (Transfer == CaseTransfer.Auto && (!Endpoint.IsLocal || (IsWindows && HostPath.IsUnc(CasePath))));

        /// <summary>The bind-mount source in the engine's form (see <see cref="HostPath"/>); null: <see cref="CasePath"/> as it is.</summary>
        public string? MountSource { get; set; }

        private static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

        /// <summary>Size of /dev/shm (MPI runs need more than the engine's 64 MB default); null: the engine's.</summary>
        public long? ShmSizeBytes { get; set; }

        /// <summary>A copy to change for another step of the same run.</summary>
        public RunSpec Clone()
        {
            var copy = (RunSpec)MemberwiseClone();
            copy.Arguments = new List<string>(Arguments);
            return copy;
        }

        /// <summary>"2GB", "512MB", "64m", "1073741824" → bytes; InvalidMemory otherwise (the engine's minimum is 6 MB).</summary>
        public static long ParseMemory(string text)
        {
            var m = Regex.Match(text.Trim(), @"^(?<n>\d+(?:\.\d+)?)\s*(?<u>[kKmMgGtT]?)(?:[iI]?[bB])?\z");
            if (m.Success && double.TryParse(m.Groups["n"].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                var factor = char.ToUpperInvariant(m.Groups["u"].Value.Length > 0 ? m.Groups["u"].Value[0] : 'B') switch
                {
                    'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1L,
                };
                var bytes = (long)(n * factor);
                if (bytes >= 6L << 20) return bytes;
            }
            throw new FoamArgumentException(ErrorIds.InvalidMemory,
                $"'{text}' is not a usable -Memory. Give bytes or a size such as 512MB or 2GB (at least 6MB).", text);
        }

        /// <summary>The command line with the arguments quoted.</summary>
        public string CommandLine => ShellQuote.Join(Command, Arguments);

        public string Application => Foam.CommandLine.Application(Command);

        /// <summary>The log file this run writes, or null.</summary>
        public string? EffectiveLogPath => NoLog ? null : LogPath ?? Path.Combine(CasePath, "log." + Application);

        /// <summary>The user the container runs as ("" = the image's default).</summary>
        public string EffectiveUser => User ?? (_defaultUser ??= HostIdentity.DefaultUserFor(CasePath) ?? "");

        private string? _defaultUser;

        /// <summary>Throws a FoamArgumentException for the first thing that cannot work.</summary>
        public void Validate()
        {
            if (string.IsNullOrWhiteSpace(Command))
                throw new FoamArgumentException(ErrorIds.CommandEmpty,
                    "The command is empty. Give an OpenFOAM application or a shell command line, e.g. -Command blockMesh.", Command);
            ValidateCase(CasePath);
            ImageReference.Validate(Image);
            if (User != null) ValidateUser(User);
            foreach (var name in Environment.Keys)
            {
                if (string.IsNullOrEmpty(name) || name.IndexOf('=') >= 0 || name.IndexOf('\0') >= 0)
                    throw new FoamArgumentException(ErrorIds.InvalidEnvironment,
                        $"'{name}' is not a valid environment variable name.", name);
            }
            if (Cpus != null && !(Cpus > 0 && Cpus <= 4096))
                throw new FoamArgumentException(ErrorIds.InvalidCpus, $"-Cpus {Cpus} is not a usable number of CPUs: give a positive number such as 1.5.", Cpus);
            if (CpusetCpus != null && !Regex.IsMatch(CpusetCpus, @"^\d+(-\d+)?(,\d+(-\d+)?)*\z"))
                throw new FoamArgumentException(ErrorIds.InvalidCpuset, $"-CpusetCpus '{CpusetCpus}' is not a CPU list such as 0-3 or 0,2.", CpusetCpus);
            if (BashRc != null && (BashRc.Length == 0 || BashRc[0] != '/'))
                throw new FoamArgumentException(ErrorIds.BashRcNotFound,
                    $"-BashRc '{BashRc}' must be an absolute path inside the image, e.g. /opt/openfoam11/etc/bashrc.", BashRc);
        }

        /// <summary>Throws CaseNotFound / CaseNotDirectory.</summary>
        public static void ValidateCase(string path)
        {
            if (File.Exists(path))
                throw new FoamArgumentException(ErrorIds.CaseNotDirectory,
                    $"'{path}' is a file; -Path must be an OpenFOAM case directory (the folder holding system/ and constant/).", path);
            if (!Directory.Exists(path))
                throw new FoamArgumentException(ErrorIds.CaseNotFound,
                    $"The case directory '{path}' does not exist. Check -Path, or copy a tutorial case first.", path,
                    FoamErrorKind.ObjectNotFound);
        }

        /// <summary>Throws InvalidUser unless the value is uid, uid:gid, name or name:group.</summary>
        public static void ValidateUser(string user)
        {
            var parts = user.Split(':');
            if (parts.Length > 2 || Array.Exists(parts, p => !UserPart.IsMatch(p)))
                throw new FoamArgumentException(ErrorIds.InvalidUser,
                    $"'{user}' is not a valid -User. Use uid, uid:gid, name or name:group, e.g. 1000:1000.", user);
        }
    }
}
