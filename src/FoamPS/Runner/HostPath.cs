using System;
using System.Text.RegularExpressions;

namespace FoamPS.Runner
{
    /// <summary>What kind of engine a Windows machine talks to, which decides how it names this machine's drives.</summary>
    public enum EngineFlavor
    {
        /// <summary>An engine on Linux or macOS that sees paths as they are.</summary>
        Native,
        /// <summary>Docker Desktop (Linux containers in its VM): drives are under /run/desktop/mnt/host/&lt;drive&gt;.</summary>
        DockerDesktop,
        /// <summary>A dockerd inside a WSL 2 distribution: drives are under /mnt/&lt;drive&gt;.</summary>
        Wsl,
        /// <summary>Windows containers: Windows paths as they are.</summary>
        WindowsContainers,
    }

    /// <summary>
    /// Case paths of this machine in the form the engine expects for a bind mount. On Linux and macOS
    /// a path is used as it is; on Windows, C:\cases\cavity becomes /run/desktop/mnt/host/c/cases/cavity
    /// for Docker Desktop and /mnt/c/cases/cavity for a dockerd in WSL. UNC paths (\\server\share) cannot
    /// be bind-mounted: such cases are copied (-CaseTransfer Auto), or refused with Bind.
    /// </summary>
    public static class HostPath
    {
        private static readonly Regex Drive = new Regex(@"^(?<d>[A-Za-z]):(?:[\\/](?<rest>.*))?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        private static readonly Regex WslShare = new Regex(@"^\\\\wsl(?:\$|\.localhost)\\(?<distro>[^\\]+)(?:\\(?<rest>.*))?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Singleline);

        /// <summary>The engine's flavor from /info: Docker Desktop says so in OperatingSystem; Windows containers in OSType.</summary>
        public static EngineFlavor FlavorOf(bool hostIsWindows, string? operatingSystem, string? osType)
        {
            if (string.Equals(osType, "windows", StringComparison.OrdinalIgnoreCase)) return EngineFlavor.WindowsContainers;
            if (!hostIsWindows) return EngineFlavor.Native;
            if ((operatingSystem ?? "").IndexOf("Docker Desktop", StringComparison.OrdinalIgnoreCase) >= 0) return EngineFlavor.DockerDesktop;
            return EngineFlavor.Wsl;
        }

        /// <summary>"\\?\C:\x" → "C:\x", "\\?\UNC\server\share" → "\\server\share": the long-path prefix means nothing to the engine.</summary>
        public static string StripLongPathPrefix(string path)
        {
            if (path.StartsWith(@"\\?\UNC\", StringComparison.OrdinalIgnoreCase)) return @"\\" + path.Substring(8);
            if (path.StartsWith(@"\\?\", StringComparison.Ordinal) || path.StartsWith(@"\\.\", StringComparison.Ordinal)) return path.Substring(4);
            return path;
        }

        /// <summary>True for \\server\share paths (after the long-path prefix is gone).</summary>
        public static bool IsUnc(string path)
        {
            var p = StripLongPathPrefix(path);
            return p.StartsWith(@"\\", StringComparison.Ordinal) || p.StartsWith("//", StringComparison.Ordinal);
        }

        /// <summary>
        /// The bind-mount source for <paramref name="hostPath"/> on an engine of <paramref name="flavor"/>;
        /// null when that engine cannot mount it (UNC shares), so the case must be copied.
        /// </summary>
        public static string? ForEngine(string hostPath, EngineFlavor flavor, bool hostIsWindows)
        {
            if (!hostIsWindows) return hostPath;
            var path = StripLongPathPrefix(hostPath).TrimEnd('\\', '/');
            if (path.Length == 2 && path[1] == ':') path += @"\";
            var drive = Drive.Match(path);
            if (drive.Success)
            {
                var letter = char.ToLowerInvariant(drive.Groups["d"].Value[0]);
                var rest = drive.Groups["rest"].Value.Replace('\\', '/').Trim('/');
                switch (flavor)
                {
                    case EngineFlavor.WindowsContainers:
                        return char.ToUpperInvariant(letter) + @":\" + rest.Replace('/', '\\');
                    case EngineFlavor.DockerDesktop:
                        return "/run/desktop/mnt/host/" + letter + (rest.Length > 0 ? "/" + rest : "");
                    default:
                        return "/mnt/" + letter + (rest.Length > 0 ? "/" + rest : "");
                }
            }
            var wsl = WslShare.Match(path);
            if (wsl.Success && flavor == EngineFlavor.Wsl)
            {
                // A dockerd in WSL sees its distribution's own files at their Linux paths.
                return "/" + wsl.Groups["rest"].Value.Replace('\\', '/').Trim('/');
            }
            return null;
        }
    }
}
