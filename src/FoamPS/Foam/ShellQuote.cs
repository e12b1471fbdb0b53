using System.Collections.Generic;
using System.Text;

namespace FoamPS.Foam
{
    /// <summary>POSIX shell quoting: a quoted word is never re-read by the shell.</summary>
    public static class ShellQuote
    {
        /// <summary>Wraps <paramref name="word"/> in single quotes (each ' becomes '\'').</summary>
        public static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";

        /// <summary>The command line, then each argument quoted.</summary>
        public static string Join(string command, IEnumerable<string>? arguments)
        {
            var sb = new StringBuilder(command.Trim());
            if (arguments != null)
            {
                foreach (var a in arguments) sb.Append(' ').Append(Quote(a ?? string.Empty));
            }
            return sb.ToString();
        }
    }
}
