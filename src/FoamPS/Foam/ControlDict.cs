using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FoamPS.Foam
{
    /// <summary>
    /// The top-level entries of an OpenFOAM system/controlDict: a small reader of the dictionary
    /// syntax (comments, the FoamFile header and other sub-dictionaries skipped, #include and
    /// $macro values ignored). What it cannot read is simply absent: progress then becomes
    /// indeterminate; reading never fails a run.
    /// </summary>
    public sealed class ControlDict
    {
        private readonly Dictionary<string, string> _entries;

        private ControlDict(Dictionary<string, string> entries) { _entries = entries; }

        /// <summary>The raw value of a top-level entry ("endTime" → "0.5"), or null.</summary>
        public string? this[string key] => _entries.TryGetValue(key, out var v) ? v : null;

        public string? Application => Word("application");
        public string? StartFrom => Word("startFrom");
        public double? StartTime => Number("startTime");
        public double? EndTime => Number("endTime");
        public double? DeltaT => Number("deltaT");
        public double? WriteInterval => Number("writeInterval");

        /// <summary>Reads &lt;case&gt;/system/controlDict; null when it is missing or unreadable.</summary>
        public static ControlDict? ReadCase(string casePath)
        {
            try
            {
                var path = Path.Combine(Path.Combine(casePath, "system"), "controlDict");
                return File.Exists(path) ? Parse(File.ReadAllText(path)) : null;
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }

        /// <summary>The solver log of a case: log.&lt;application&gt; when it exists, else the newest log.*; null when none.</summary>
        public static string? CaseLog(string casePath)
        {
            var application = ReadCase(casePath)?.Application;
            var named = application == null ? null : Path.Combine(casePath, "log." + application);
            if (named != null && File.Exists(named)) return named;
            FileInfo? newest = null;
            foreach (var f in new DirectoryInfo(casePath).GetFiles("log.*"))
            {
                if (newest == null || f.LastWriteTimeUtc > newest.LastWriteTimeUtc) newest = f;
            }
            return newest?.FullName;
        }

        /// <summary>Parses dictionary text; never throws.</summary>
        public static ControlDict Parse(string text)
        {
            var entries = new Dictionary<string, string>(StringComparer.Ordinal);
            var tokens = Tokenize(text);
            var depth = 0;
            var statement = new List<string>();
            foreach (var token in tokens)
            {
                switch (token)
                {
                    case "{": depth++; statement.Clear(); continue;
                    case "}": depth = Math.Max(0, depth - 1); statement.Clear(); continue;
                    case ";":
                        if (depth == 0 && statement.Count >= 2 && IsKeyword(statement[0]))
                            entries[statement[0]] = string.Join(" ", statement.GetRange(1, statement.Count - 1));
                        statement.Clear();
                        continue;
                }
                if (depth == 0) statement.Add(token);
            }
            return new ControlDict(entries);
        }

        private static bool IsKeyword(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_');

        private string? Word(string key)
        {
            var v = this[key];
            return v == null || v.StartsWith("$", StringComparison.Ordinal) ? null : v.Trim('"');
        }

        private double? Number(string key)
        {
            var v = this[key];
            return v != null && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null;
        }

        /// <summary>Words, strings and the punctuation { } ; — without comments and #directives.</summary>
        private static List<string> Tokenize(string text)
        {
            var tokens = new List<string>();
            var word = new StringBuilder();
            void Flush() { if (word.Length > 0) { tokens.Add(word.ToString()); word.Clear(); } }
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/') { Flush(); while (i < text.Length && text[i] != '\n') i++; continue; }
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    Flush();
                    var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    i = end < 0 ? text.Length : end + 1;
                    continue;
                }
                if (c == '#' && word.Length == 0)
                {
                    // #include "file", #includeEtc ..., #inputMode ...: a directive to the end of its line.
                    while (i < text.Length && text[i] != '\n') i++;
                    continue;
                }
                if (c == '"')
                {
                    Flush();
                    var end = text.IndexOf('"', i + 1);
                    if (end < 0) end = text.Length - 1;
                    tokens.Add(text.Substring(i, end - i + 1));
                    i = end;
                    continue;
                }
                if (c is '{' or '}' or ';') { Flush(); tokens.Add(c.ToString()); continue; }
                if (char.IsWhiteSpace(c)) { Flush(); continue; }
                word.Append(c);
            }
            Flush();
            return tokens;
        }
    }
}
