using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace FoamPS.Foam
{
    /// <summary>What went wrong in a failed run, in a line or two, from its exit code and the end of its log.</summary>
    public static class FailureDiagnosis
    {
        private static readonly Regex IoFile = new Regex(@"^\s*file:\s*(?<file>\S+?)(?:\.[A-Za-z_][^ ]*)?\s+at line\s+(?<line>\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex NotFound = new Regex(@"(?:^|: )(?<name>[^\s:]+): (?:(?:command )?not found|No such file or directory)\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex LastTime = new Regex(@"^Time = (?<t>\S+)", RegexOptions.CultureInvariant);

        /// <summary>The diagnosis: a one- or two-line summary, and the OpenFOAM error text when there is one.</summary>
        public sealed class Result
        {
            public string Summary { get; set; } = "";
            public string? FatalError { get; set; }

            /// <summary>The command itself does not exist in the image (exit code 127, the shell said so).</summary>
            public bool CommandNotFound { get; set; }
        }

        /// <param name="lines">The last lines of the log.</param>
        /// <param name="exitCode">The command's exit code.</param>
        /// <param name="oomKilled">The engine says the kernel killed it for memory.</param>
        /// <param name="caseMount">The case directory inside the container, to name files relative to the case.</param>
        public static Result Diagnose(IReadOnlyList<string> lines, long exitCode, bool oomKilled, string caseMount = FoamEnvironment.CaseMount)
        {
            var fatal = FatalError.Find(lines);
            var at = LastStep(lines);
            if (oomKilled)
                return new Result { Summary = $"Killed for running out of memory (the container's memory limit){at}. Give the run more memory (-Memory) or a coarser mesh.", FatalError = fatal };
            if (fatal != null)
            {
                var blockLines = fatal.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
                var message = blockLines.Skip(1).FirstOrDefault(l => !l.StartsWith("From ", StringComparison.Ordinal) && !l.StartsWith("file:", StringComparison.Ordinal)) ?? "";
                if (blockLines[0].Contains("FATAL IO ERROR"))
                {
                    var where = blockLines.Select(l => IoFile.Match(l)).FirstOrDefault(m => m.Success);
                    var file = where == null ? "" : Relative(where.Groups["file"].Value, caseMount);
                    var place = where == null ? "" : $" in {file} at line {where.Groups["line"].Value}";
                    return new Result { Summary = $"FOAM FATAL IO ERROR{place}: {message}", FatalError = fatal };
                }
                return new Result { Summary = $"FOAM FATAL ERROR{at}: {message}", FatalError = fatal };
            }
            if (exitCode == 136 || lines.Any(l => l.Contains("sigFpe") || l.Contains("Floating point exception")))
                return new Result { Summary = $"Floating point exception (SIGFPE){at}: the solution diverged. Check deltaT (the Courant number), the mesh and the boundary conditions." };
            var mpi = lines.FirstOrDefault(l => l.Contains("MPI_ABORT was invoked") || l.Contains("mpirun noticed that process") || l.Contains("mpirun has exited due to"));
            if (mpi != null)
                return new Result { Summary = $"The MPI run aborted{at}: {mpi.Trim()}" };
            if (exitCode == 137)
                return new Result { Summary = $"Killed (SIGKILL){at}." };
            if (exitCode == 127)
            {
                // bash says "<script>: line N: name: command not found"; only the name matters to the user.
                var missing = lines.Select(l => NotFound.Match(l)).LastOrDefault(m => m.Success);
                if (missing != null)
                {
                    var name = missing.Groups["name"].Value;
                    return new Result { CommandNotFound = true, Summary = $"'{name}' is not a command in the image (not an OpenFOAM application, utility or script on its PATH, nor a file in the case).{Suggestions.DidYouMean(name, OpenFoamApplications.Common)}" };
                }
                return new Result { Summary = "Command not found in the image: " + (lines.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "") };
            }
            var last = lines.Where(l => l.Trim().Length > 0).Skip(Math.Max(0, lines.Count(l => l.Trim().Length > 0) - 2)).Select(l => l.Trim()).ToList();
            return new Result { Summary = last.Count == 0 ? "it printed nothing." : string.Join(Environment.NewLine, last) };
        }

        private static string LastStep(IReadOnlyList<string> lines)
        {
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                var m = LastTime.Match(lines[i]);
                if (m.Success) return $" at Time = {m.Groups["t"].Value.TrimEnd('s')}";
            }
            return "";
        }

        /// <summary>"/home/openfoam/project/system/fvSchemes" → "system/fvSchemes".</summary>
        private static string Relative(string file, string caseMount)
        {
            var prefix = caseMount.TrimEnd('/') + "/";
            return file.StartsWith(prefix, StringComparison.Ordinal) ? file.Substring(prefix.Length) : file;
        }
    }
}
