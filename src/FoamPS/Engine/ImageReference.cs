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
        private const string Tag = @"[\w][\w.-]{0,127}";
        private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

        private static readonly Regex Grammar = new Regex(
            "^(?:" + Domain + "/)?" + Component + "(?:/" + Component + ")*(?::" + Tag + ")?(?:@" + Digest + ")?$",
            RegexOptions.CultureInvariant);

        /// <summary>True when <paramref name="reference"/> is a well-formed image reference.</summary>
        public static bool IsValid(string? reference)
        {
            if (string.IsNullOrWhiteSpace(reference) || reference!.Length > 255 + 128 + 80) return false;
            return Grammar.IsMatch(reference);
        }

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
