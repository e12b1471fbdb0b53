using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>
    /// An MPI run in three steps, each its own container, log and result: decomposePar,
    /// mpirun -np N &lt;solver&gt; -parallel, reconstructPar.
    /// </summary>
    public static class ParallelRun
    {
        /// <summary>/dev/shm for MPI's shared-memory transport (the engine's default 64 MB is too small).</summary>
        public const long ShmSize = 512L << 20;

        private static readonly Regex Subdomains = new Regex(@"(?m)^(\s*numberOfSubdomains\s+)(\d+)(\s*;)", RegexOptions.CultureInvariant);

        public static IReadOnlyList<RunSpec> Steps(RunSpec solver, int ranks, bool decompose, bool reconstruct, bool oversubscribe)
        {
            if (ranks < 1 || ranks > 4096)
                throw new FoamArgumentException(ErrorIds.InvalidParallel, $"-Parallel {ranks} is not a usable number of MPI ranks: give 1 or more.", ranks);
            var steps = new List<RunSpec>();
            if (decompose) steps.Add(Step(solver, "decomposePar", new[] { "-force" }, null));
            var mpirun = $"mpirun -np {ranks}{(oversubscribe ? " --oversubscribe" : "")} {solver.Command.Trim()}";
            steps.Add(Step(solver, mpirun, solver.Arguments.Concat(new[] { "-parallel" }), solver.LogPath));
            if (reconstruct) steps.Add(Step(solver, "reconstructPar", Array.Empty<string>(), null));
            return steps;
        }

        private static RunSpec Step(RunSpec solver, string command, IEnumerable<string> arguments, string? logPath)
        {
            var step = solver.Clone();
            step.Command = command;
            step.Arguments = arguments.ToList();
            step.LogPath = logPath;
            step.ShmSizeBytes ??= ShmSize;
            return step;
        }

        /// <summary>
        /// Makes system/decomposeParDict ask for <paramref name="ranks"/> subdomains: an existing
        /// dictionary keeps every other setting (only numberOfSubdomains changes); a missing one is
        /// written with the simple method split along x (scotch is not in every build, e.g. Debian's).
        /// Returns what it did, or null.
        /// </summary>
        public static string? EnsureDecomposeParDict(string casePath, int ranks, string? owner = null)
        {
            var path = Path.Combine(Path.Combine(casePath, "system"), "decomposeParDict");
            // Written in place of what is there, never through a link: a linked (shared) dictionary is left as
            // it is, and the case gets its own copy.
            var linked = LogFile.IsLink(path) ? " (it was a link; the file it pointed at is unchanged)" : "";
            if (!File.Exists(path))
            {
                SafeFile.WriteAllText(path,
                    "FoamFile\n{\n    version     2.0;\n    format      ascii;\n    class       dictionary;\n    object      decomposeParDict;\n}\n" +
                    "// Written by FoamPS for Invoke-FoamCommand -Parallel " + ranks + "\n\n" +
                    "numberOfSubdomains " + ranks + ";\n\nmethod          simple;\n\nsimpleCoeffs\n{\n    n               (" + ranks + " 1 1);\n    delta           0.001;\n}\n", owner);
                return $"{path} did not exist: FoamPS wrote one with numberOfSubdomains {ranks}, method simple, split along x{linked}.";
            }
            var text = File.ReadAllText(path);
            var current = ControlDict.Parse(text)["numberOfSubdomains"];
            if (current == ranks.ToString(System.Globalization.CultureInfo.InvariantCulture)) return null;
            if (!Subdomains.IsMatch(text))
                throw new FoamArgumentException(ErrorIds.ParallelMismatch,
                    $"{path} has no plain 'numberOfSubdomains N;' entry FoamPS can set to {ranks}. Set it yourself, or run with -Parallel {current}.", path);
            SafeFile.WriteAllText(path, Subdomains.Replace(text, m => m.Groups[1].Value + ranks + m.Groups[3].Value, 1), owner);
            return $"Changed numberOfSubdomains in {path} from {current} to {ranks}; its other settings are kept{linked}.";
        }

        /// <summary>With -NoDecompose: the case must already be decomposed into exactly <paramref name="ranks"/> parts.</summary>
        public static void CheckDecomposed(string casePath, int ranks)
        {
            var found = Directory.GetDirectories(casePath, "processor*").Count(d => Regex.IsMatch(Path.GetFileName(d), @"^processor\d+$"));
            if (found != ranks)
                throw new FoamArgumentException(ErrorIds.ParallelMismatch,
                    $"-NoDecompose with -Parallel {ranks}, but '{casePath}' has {found} processor directories. Decompose it into {ranks} (leave out -NoDecompose) or use -Parallel {found}.",
                    casePath);
        }
    }
}
