using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace FoamPS.Runner
{
    /// <summary>The host user's uid:gid, so files a run creates in the case belong to the user.</summary>
    public static class HostIdentity
    {
        private static readonly Lazy<string?> Value = new Lazy<string?>(Read);

        /// <summary>"uid:gid" on Linux and macOS; null on Windows (the image's user is used).</summary>
        public static string? UidGid => Value.Value;

        /// <summary>"host:pid", the owner label of containers this process creates.</summary>
        public static string Owner { get; } = $"{Environment.MachineName}:{Process.GetCurrentProcess().Id}";

        private static string? Read()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return null;
            if (File.Exists("/proc/self/status"))
            {
                string? uid = null, gid = null;
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    // "Uid:\treal\teffective\tsaved\tfs": the effective id owns the files we create.
                    if (line.StartsWith("Uid:", StringComparison.Ordinal)) uid = Field(line, 2);
                    else if (line.StartsWith("Gid:", StringComparison.Ordinal)) gid = Field(line, 2);
                }
                if (uid != null && gid != null) return uid + ":" + gid;
            }
            var u = RunId("-u");
            var g = RunId("-g");
            return u != null && g != null ? u + ":" + g : null;
        }

        private static string? Field(string line, int index)
        {
            var parts = line.Split(new[] { '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > index ? parts[index] : null;
        }

        private static string? RunId(string flag)
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo("id", flag) { RedirectStandardOutput = true, UseShellExecute = false });
                var text = p!.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                return p.ExitCode == 0 && text.Length > 0 ? text : null;
            }
            catch (Exception) { return null; }
        }
    }
}
