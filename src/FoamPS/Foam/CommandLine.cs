using System;
using System.Linq;

namespace FoamPS.Foam
{
    /// <summary>What OpenFOAM application a shell command line runs, for log names and labels.</summary>
    public static class CommandLine
    {
        private static readonly string[] Launchers = { "mpirun", "mpiexec", "srun", "time", "nice", "env", "exec", "foamExec" };

        /// <summary>
        /// The application of a command line: the first word that is not an environment
        /// assignment, a launcher (mpirun, env ...) or a launcher's option, without its directory.
        /// "blockMesh -dict x" → blockMesh; "./Allrun" → Allrun; "mpirun -np 2 icoFoam -parallel" → icoFoam.
        /// </summary>
        public static string Application(string command)
        {
            var words = command.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            var afterLauncher = false;
            for (var i = 0; i < words.Length; i++)
            {
                var w = words[i].Trim('"', '\'');
                if (w.Length == 0 || w.Contains('=') && !w.StartsWith("-", StringComparison.Ordinal) && !afterLauncher) continue;
                if (Launchers.Contains(w)) { afterLauncher = true; continue; }
                if (afterLauncher && w.StartsWith("-", StringComparison.Ordinal))
                {
                    // mpirun -np 2: an option that takes a value swallows the next word.
                    if (i + 1 < words.Length && !words[i + 1].StartsWith("-", StringComparison.Ordinal) && IsNumberOrValueOption(w)) i++;
                    continue;
                }
                if (w.Contains('=') && afterLauncher) continue;
                var name = w.Substring(w.LastIndexOf('/') + 1);
                return Sanitize(name);
            }
            return "command";
        }

        private static bool IsNumberOrValueOption(string option) =>
            option is "-np" or "-n" or "-c" or "--np" or "-H" or "--host" or "--hostfile" or "-x" or "--map-by" or "--bind-to";

        private static string Sanitize(string name)
        {
            var chars = name.Where(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '+').ToArray();
            return chars.Length == 0 ? "command" : new string(chars);
        }
    }
}
