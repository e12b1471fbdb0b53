using System;
using System.Collections.Generic;

namespace FoamPS.Foam
{
    /// <summary>
    /// How OpenFOAM's environment is found and sourced inside an image: the probe script that
    /// looks for etc/bashrc in the known layouts, and the script that runs a command with it.
    /// </summary>
    public static class FoamEnvironment
    {
        /// <summary>Where the case is mounted in the container.</summary>
        public const string CaseMount = "/home/openfoam/project";

        /// <summary>HOME for the run: writable whatever uid the command runs as.</summary>
        public const string RunHome = "/tmp/foamps-home";

        /// <summary>Layouts in order of preference; within one, the last match (highest version) wins.</summary>
        public static readonly IReadOnlyList<string[]> Layouts = new[]
        {
            new[] { "/usr/lib/openfoam/openfoam*/etc/bashrc" },              // OpenCFD (openfoam.com) images
            new[] { "/opt/openfoam*/etc/bashrc", "/opt/OpenFOAM-*/etc/bashrc" }, // OpenFOAM Foundation images
            new[] { "/usr/share/openfoam/etc/bashrc" },                      // Debian's openfoam package
        };

        /// <summary>
        /// A POSIX sh script that prints "bashrc=PATH" for the environment it finds (or for $1 when
        /// given and present), "missing=PATH" when $1 is absent, "none" when nothing is found, and
        /// "nobash" when the image has no bash.
        /// </summary>
        public static string ProbeScript()
        {
            var lines = new List<string>
            {
                "command -v bash >/dev/null 2>&1 || { echo nobash; exit 0; }",
                "if [ -n \"$1\" ]; then if [ -f \"$1\" ]; then echo \"bashrc=$1\"; else echo \"missing=$1\"; fi; exit 0; fi",
                // The highest version of a layout wins: openfoam11 over openfoam9 (sort -V where it exists).
                "pick() { last=$(for f in \"$@\"; do [ -f \"$f\" ] && echo \"$f\"; done | { sort -V 2>/dev/null || sort; } | tail -n 1); if [ -n \"$last\" ]; then echo \"bashrc=$last\"; exit 0; fi; }",
            };
            foreach (var layout in Layouts) lines.Add("pick " + string.Join(" ", layout));
            lines.Add("echo none");
            return string.Join("\n", lines) + "\n";
        }

        /// <summary>What a probe found.</summary>
        public sealed class ProbeResult
        {
            public string? BashRc { get; set; }
            public string? Missing { get; set; }
            public bool NoBash { get; set; }
        }

        /// <summary>Reads the probe script's output.</summary>
        public static ProbeResult ParseProbe(string output)
        {
            var result = new ProbeResult();
            foreach (var raw in output.Split('\n'))
            {
                var line = raw.Trim();
                if (line.StartsWith("bashrc=", StringComparison.Ordinal)) result.BashRc = line.Substring(7);
                else if (line.StartsWith("missing=", StringComparison.Ordinal)) result.Missing = line.Substring(8);
                else if (line == "nobash") result.NoBash = true;
            }
            return result;
        }

        /// <summary>
        /// The bash script a run executes: a writable HOME, the environment sourced quietly
        /// (OpenFOAM's bashrc reads "$@", so the positional parameters are cleared first), then
        /// the case directory, then the command line. $1 is the bashrc path.
        /// </summary>
        /// <remarks>
        /// With <paramref name="logInContainer"/> (detached runs) the command's stdout and stderr go
        /// to that file, written by the container itself, so the log is complete whatever happens
        /// to the PowerShell session that started it.
        /// </remarks>
        public static string RunScript(string commandLine, string? logInContainer = null, string caseDirectory = CaseMount) =>
            "rc=$1; shift\n" +
            // A detached run's log gets everything, also a failing cd or a syntax error in the command.
            (logInContainer == null ? "" : "exec > " + ShellQuote.Quote(logInContainer) + " 2>&1 </dev/null\n") +
            "mkdir -p \"$HOME\" 2>/dev/null\n" +
            // An image may switch on errexit or nounset (BASH_ENV, SHELLOPTS): OpenFOAM's bashrc is not written for them.
            "set +eu\n" +
            ". \"$rc\" >/dev/null 2>&1 </dev/null\n" +
            "cd " + ShellQuote.Quote(caseDirectory) + " || { echo \"FoamPS: cannot enter the case directory " + caseDirectory.Replace("\"", "") + " as $(id -u):$(id -g)\" >&2; exit 125; }\n" +
            commandLine + "\n";

        /// <summary>Entrypoint of a run container: bash, the run script, and the bashrc path.</summary>
        public static IList<string> RunEntrypoint(string commandLine, string bashRc, string? logInContainer = null, string caseDirectory = CaseMount) =>
            new List<string> { "/bin/bash", "-c", RunScript(commandLine, logInContainer, caseDirectory), "foamps", bashRc };

        /// <summary>Entrypoint of a probe container.</summary>
        public static IList<string> ProbeEntrypoint(string? bashRc) =>
            new List<string> { "/bin/sh", "-c", ProbeScript(), "foamps-probe", bashRc ?? "" };
    }
}
