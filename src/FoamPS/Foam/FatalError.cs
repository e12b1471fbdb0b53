using System;
using System.Collections.Generic;
using System.Linq;

namespace FoamPS.Foam
{
    /// <summary>Finds OpenFOAM's "FOAM FATAL ERROR" block in the last lines of a log.</summary>
    public static class FatalError
    {
        /// <summary>
        /// The last FATAL ERROR / FATAL IO ERROR block, from its banner up to "FOAM exiting"
        /// (or the end), without blank lines; null when there is none.
        /// </summary>
        public static string? Find(IReadOnlyList<string> lines)
        {
            var start = -1;
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                if (lines[i].IndexOf("FOAM FATAL", StringComparison.Ordinal) >= 0) { start = i; break; }
            }
            if (start < 0) return null;

            var block = new List<string>();
            for (var i = start; i < lines.Count; i++)
            {
                var line = lines[i].TrimEnd();
                if (line.Length > 0) block.Add(line);
                if (line.IndexOf("FOAM exiting", StringComparison.Ordinal) >= 0 ||
                    line.IndexOf("FOAM aborting", StringComparison.Ordinal) >= 0) break;
            }
            return string.Join(Environment.NewLine, block.Select(l => l.Trim()));
        }
    }
}
