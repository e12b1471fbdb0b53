using System;
using System.Text;

namespace FoamPS.Runner
{
    /// <summary>
    /// Turns a byte stream into lines: UTF-8 decoded across chunk boundaries (a character split
    /// between two Docker frames stays whole), "\n", "\r\n" and "\r" end a line, and a line
    /// longer than <see cref="MaxLineChars"/> is emitted in pieces so memory stays bounded.
    /// </summary>
    public sealed class LineSplitter
    {
        public const int MaxLineChars = 64 * 1024;

        private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
        private readonly StringBuilder _line = new StringBuilder();
        private readonly Action<string> _onLine;
        private char[] _chars = new char[4096];
        private bool _lastWasCr;

        public LineSplitter(Action<string> onLine) { _onLine = onLine; }

        public void Write(byte[] buffer, int offset, int count)
        {
            var needed = _decoder.GetCharCount(buffer, offset, count, false);
            if (needed > _chars.Length) _chars = new char[Math.Max(needed, _chars.Length * 2)];
            var n = _decoder.GetChars(buffer, offset, count, _chars, 0, false);
            for (var i = 0; i < n; i++)
            {
                var c = _chars[i];
                if (c == '\n')
                {
                    if (!_lastWasCr) Emit();
                    _lastWasCr = false;
                }
                else if (c == '\r')
                {
                    Emit();
                    _lastWasCr = true;
                }
                else
                {
                    _lastWasCr = false;
                    _line.Append(c);
                    if (_line.Length >= MaxLineChars) Emit();
                }
            }
        }

        /// <summary>Emits what is left (a last line without a newline).</summary>
        public void Flush()
        {
            var n = _decoder.GetChars(Array.Empty<byte>(), 0, 0, _chars, 0, true);
            _line.Append(_chars, 0, n);
            if (_line.Length > 0) Emit();
        }

        private void Emit()
        {
            _onLine(_line.ToString());
            _line.Clear();
        }
    }
}
