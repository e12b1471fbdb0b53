using System;
using System.Collections.Generic;
using System.Linq;

namespace FoamPS.Foam
{
    /// <summary>"Did you mean ...?": the candidates a few keystrokes away from what was typed (Quickenshtein).</summary>
    public static class Suggestions
    {
        /// <summary>
        /// Up to <paramref name="max"/> candidates closest to <paramref name="typed"/> (case-insensitive edit
        /// distance at most 2, or a fifth of its length for long names), nearest first; never the typed text itself.
        /// </summary>
        public static IReadOnlyList<string> Similar(string typed, IEnumerable<string> candidates, int max = 3)
        {
            if (string.IsNullOrEmpty(typed)) return Array.Empty<string>();
            var limit = Math.Max(2, typed.Length / 5);
            var lower = typed.ToLowerInvariant();
            var close = candidates
                .Where(c => !string.IsNullOrEmpty(c) && !string.Equals(c, typed, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .Select(c => (Candidate: c, Distance: Quickenshtein.Levenshtein.GetDistance(lower, c.ToLowerInvariant())))
                .Where(x => x.Distance <= limit)
                .OrderBy(x => x.Distance).ThenBy(x => x.Candidate, StringComparer.Ordinal)
                .ToList();
            // Only the nearest few: "icofoam" is icoFoam, not also pisoFoam.
            if (close.Count == 0) return Array.Empty<string>();
            return close.Where(x => x.Distance <= close[0].Distance + 1).Take(max).Select(x => x.Candidate).ToList();
        }

        /// <summary>" Did you mean 'a' or 'b'?" or "" when nothing is close.</summary>
        public static string DidYouMean(string typed, IEnumerable<string> candidates)
        {
            var similar = Similar(typed, candidates);
            if (similar.Count == 0) return "";
            var quoted = similar.Select(s => "'" + s + "'").ToList();
            var list = quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted.Take(quoted.Count - 1)) + " or " + quoted[quoted.Count - 1];
            return " Did you mean " + list + "?";
        }
    }

    /// <summary>Common OpenFOAM applications and case scripts (completion, and suggestions for a mistyped command).</summary>
    public static class OpenFoamApplications
    {
        public static readonly IReadOnlyList<string> Common = new[]
        {
            "blockMesh", "snappyHexMesh", "checkMesh", "decomposePar", "reconstructPar", "setFields", "mapFields",
            "topoSet", "createPatch", "extrudeMesh", "surfaceFeatureExtract", "foamToVTK", "postProcess", "foamDictionary",
            "icoFoam", "simpleFoam", "pimpleFoam", "pisoFoam", "interFoam", "buoyantSimpleFoam", "buoyantPimpleFoam",
            "rhoSimpleFoam", "rhoPimpleFoam", "chtMultiRegionFoam", "potentialFoam", "scalarTransportFoam", "laplacianFoam",
            "./Allrun", "./Allclean",
        };
    }
}
