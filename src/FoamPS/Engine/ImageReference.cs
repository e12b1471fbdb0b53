using System.Text.RegularExpressions;

namespace FoamPS.Engine
{
    /// <summary>
    /// Checks image references against the grammar of the distribution project
    /// ([registry[:port]/]path[:tag][@digest]) so a malformed one fails before any request.
    /// </summary>
    public static class ImageReference
    {
        private const string Component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        private const string DomainPart = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        private const string Domain = DomainPart + @"(?:\." + DomainPart + ")*(?::[0-9]+)?";
        private const string Tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
        private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

        private static readonly Regex Grammar = new Regex(
            "^(?:" + Domain + "/)?" + Component + "(?:/" + Component + ")*(?::" + Tag + ")?(?:@" + Digest + @")?\z",
            RegexOptions.CultureInvariant);

        /// <summary>True when <paramref name="reference"/> is a well-formed image reference.</summary>
        public static bool IsValid(string? reference)
        {
            if (string.IsNullOrWhiteSpace(reference) || reference!.Length > 255 + 128 + 80) return false;
            if (!Grammar.IsMatch(reference)) return false;
            // The grammar lets the first part be a registry host, which may have capitals. FoamPS takes a first
            // part as a host only when it looks like one (a dot, a port or localhost), as the docker CLI does for
            // lower-case names: "Opencfd/openfoam" is a mistyped name, not a registry called Opencfd.
            var slash = reference.IndexOf('/');
            return slash < 0 || LooksLikeHost(reference.Substring(0, slash)) || !HasUpper(reference.Substring(0, slash));
        }

        /// <summary>The reference with ":latest" when it names neither a tag nor a digest (pulling
        /// a bare name would otherwise pull every tag).</summary>
        public static string WithDefaultTag(string reference)
        {
            if (reference.Contains("@")) return reference;
            var lastSlash = reference.LastIndexOf('/');
            return reference.IndexOf(':', lastSlash + 1) >= 0 ? reference : reference + ":latest";
        }

        /// <summary>
        /// The registry a reference pulls from, as the docker CLI keys it in config.json:
        /// the first component when it looks like a host (has '.' or ':' or is localhost),
        /// else Docker Hub ("https://index.docker.io/v1/").
        /// </summary>
        public static string Registry(string reference)
        {
            var slash = reference.IndexOf('/');
            if (slash > 0)
            {
                var first = reference.Substring(0, slash);
                if (LooksLikeHost(first)) return first;
            }
            return DockerHub;
        }

        private static bool LooksLikeHost(string part) => part.Contains(".") || part.Contains(":") || part == "localhost";

        private static bool HasUpper(string part)
        {
            foreach (var c in part) if (c >= 'A' && c <= 'Z') return true;
            return false;
        }

        public const string DockerHub = "https://index.docker.io/v1/";

        /// <summary>Throws InvalidImageReference when the reference is malformed.</summary>
        public static void Validate(string? reference)
        {
            if (!IsValid(reference))
            {
                throw new FoamArgumentException(ErrorIds.InvalidImageReference,
                    $"'{reference}' is not a valid image reference. Use the form [registry/]name[:tag][@digest], " +
                    "in lower case, e.g. opencfd/openfoam-default:2406.",
                    reference);
            }
        }
    }
}
