using System;
using System.Collections.Generic;
using System.Text;

namespace FoamPS.Runner
{
    /// <summary>
    /// The last bytes a command wrote, kept in a fixed ring so memory stays flat however much
    /// it writes; decoded to lines only when asked (status line, error message).
    /// Thread-safe: the output pump writes, the status ticker reads.
    /// </summary>
    public sealed class LogTail
    {
        private readonly byte[] _ring;
        private readonly object _gate = new object();
        private long _written;
        private long _skipped;

        public LogTail(int capacity = 64 * 1024) { _ring = new byte[capacity]; }

        /// <summary>Total bytes written.</summary>
        public long Written { get { lock (_gate) return _skipped + _written; } }

        /// <summary>Counts bytes that came before what is appended (a tail read from the end of a file).</summary>
        public void Skip(long bytes)
        {
            lock (_gate) _skipped += bytes;
        }

        public void Append(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                // Only the last capacity bytes of a large chunk can survive.
                if (count > _ring.Length) { offset += count - _ring.Length; _written += count - _ring.Length; count = _ring.Length; }
                var pos = (int)(_written % _ring.Length);
                var first = Math.Min(count, _ring.Length - pos);
                Buffer.BlockCopy(buffer, offset, _ring, pos, first);
                if (count > first) Buffer.BlockCopy(buffer, offset + first, _ring, 0, count - first);
                _written += count;
            }
        }

        /// <summary>The kept bytes, oldest first.</summary>
        public byte[] Snapshot()
        {
            lock (_gate)
            {
                var kept = (int)Math.Min(_written, _ring.Length);
                var result = new byte[kept];
                var start = (int)((_written - kept) % _ring.Length);
                var first = Math.Min(kept, _ring.Length - start);
                Buffer.BlockCopy(_ring, start, result, 0, first);
                if (kept > first) Buffer.BlockCopy(_ring, 0, result, first, kept - first);
                return result;
            }
        }

        /// <summary>
        /// The last <paramref name="max"/> lines (a partial last line included). When the ring
        /// has wrapped, its first, cut line is dropped. '\r' ends a line too (progress output).
        /// </summary>
        public IReadOnlyList<string> LastLines(int max)
        {
            bool wrapped;
            byte[] bytes;
            lock (_gate) { wrapped = _written > _ring.Length || _skipped > 0; bytes = Snapshot(); }
            var text = Encoding.UTF8.GetString(bytes);
            var lines = new List<string>(text.Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.None));
            if (wrapped && lines.Count > 1) lines.RemoveAt(0);
            if (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
            return lines.Count <= max ? lines : lines.GetRange(lines.Count - max, max);
        }

        /// <summary>The last non-blank line, for a status display; "" when there is none.</summary>
        public string LatestLine()
        {
            var lines = LastLines(20);
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                if (lines[i].Trim().Length > 0) return lines[i].Trim();
            }
            return "";
        }
    }
}
