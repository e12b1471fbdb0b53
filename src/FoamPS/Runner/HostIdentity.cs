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

        /// <summary>
        /// The user a run on <paramref name="casePath"/> defaults to: this process's uid:gid, so what the run
        /// writes is the user's. Run by root on Linux, the case directory's owner instead, unless that is root
        /// too: containers do not run as root where they need not, and a user's case keeps one owner.
        /// </summary>
        public static string? DefaultUserFor(string casePath)
        {
            var host = UidGid;
            if (host == null || !host.StartsWith("0:", StringComparison.Ordinal) || !RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return host;
            var owner = Run("stat", "-L", "-c", "%u:%g", "--", casePath); // the directory, also when the path is a link to it
            return owner != null && !owner.StartsWith("0:", StringComparison.Ordinal) && owner.Contains(":") ? owner : host;
        }

        /// <summary>
        /// Gives a file this process (root) just made in a case to the run's numeric <paramref name="user"/>
        /// ("uid" or "uid:gid"), so a log beside the run's files has their owner. Nothing when this process is
        /// not root, the user is root or a name, or the system refuses.
        /// </summary>
        public static void HandOver(string path, string user)
        {
            var host = UidGid;
            if (host == null || !host.StartsWith("0:", StringComparison.Ordinal) || RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var parts = user.Split(':');
            if (!uint.TryParse(parts[0], out var uid) || uid == 0) return;
            var gid = parts.Length > 1 && uint.TryParse(parts[1], out var g) ? g : uint.MaxValue; // -1: leave the group
            try { _ = lchown(path, uid, gid); }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { }
        }

        // lchown: a link is never followed, whatever it points at.
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int lchown(string path, uint owner, uint group);

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
            var u = Run("id", "-u");
            var g = Run("id", "-g");
            return u != null && g != null ? u + ":" + g : null;
        }

        private static string? Field(string line, int index)
        {
            var parts = line.Split(new[] { '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries);
            return parts.Length > index ? parts[index] : null;
        }

        private static string? Run(string program, params string[] arguments)
        {
            try
            {
                var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
#if NET8_0_OR_GREATER
                foreach (var argument in arguments) start.ArgumentList.Add(argument);
#else
                start.Arguments = string.Join(" ", Array.ConvertAll(arguments, Quote));
#endif
                using var p = Process.Start(start);
                var text = p!.StandardOutput.ReadToEnd().Trim();
                p.WaitForExit();
                return p.ExitCode == 0 && text.Length > 0 ? text : null;
            }
            catch (Exception) { return null; }
        }

        /// <summary>One argument for ProcessStartInfo.Arguments (netstandard2.0 has no ArgumentList): backslashes
        /// are doubled only where they precede a quote, as the runtime's parser reads them.</summary>
        private static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"' }) < 0) return argument;
            var sb = new System.Text.StringBuilder("\"");
            var slashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\') { slashes++; continue; }
                sb.Append('\\', c == '"' ? slashes * 2 + 1 : slashes);
                slashes = 0;
                sb.Append(c);
            }
            sb.Append('\\', slashes * 2).Append('"');
            return sb.ToString();
        }
    }
}
