using System.IO;

namespace FoamPS.Runner
{
    /// <summary>Reading log files from their end without reading them whole.</summary>
    public static class LogFile
    {
        /// <summary>
        /// LogNotWritable before anything is created on the engine when the log cannot be written (a
        /// read-only case, a directory of that name, no permission). An existing log is neither truncated
        /// nor changed; a log that did not exist is not left behind.
        /// </summary>
        public static void EnsureWritable(string path)
        {
            try
            {
                // The log will take the path's place (SafeFile): what counts is that the folder takes a new
                // file. The path itself is not opened, so nothing is written or created through a link.
                SafeFile.EnsureCanReplace(path);
            }
            catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException)
            {
                throw new FoamException(ErrorIds.LogNotWritable, FoamErrorKind.WriteError,
                    $"Cannot write the log file '{path}': {e.Message} Nothing was started. Choose another -LogPath or use -NoLog.", path, e);
            }
        }

        /// <summary>True when <paramref name="path"/> is a symbolic link (also one whose target is missing).</summary>
        public static bool IsLink(string path)
        {
            try
            {
#if NET6_0_OR_GREATER
                return new FileInfo(path).LinkTarget != null;
#else
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
#endif
            }
            catch (System.Exception e) when (e is IOException || e is System.UnauthorizedAccessException) { return false; }
        }

        /// <summary>
        /// The offset where the last <paramref name="lines"/> lines of <paramref name="file"/> begin
        /// (a last line without a newline counts), scanning backwards block by block.
        /// </summary>
        public static long TailOffset(Stream file, int lines)
        {
            var length = file.Length;
            if (lines <= 0) return length;
            var buffer = new byte[64 * 1024];
            var position = length;
            var newlines = 0;
            var skipLastNewline = true;
            while (position > 0)
            {
                var count = (int)System.Math.Min(buffer.Length, position);
                position -= count;
                file.Seek(position, SeekOrigin.Begin);
                var read = 0;
                while (read < count) { var n = file.Read(buffer, read, count - read); if (n == 0) break; read += n; }
                for (var i = read - 1; i >= 0; i--)
                {
                    if (buffer[i] != (byte)'\n') { skipLastNewline = false; continue; }
                    // The newline that ends the file does not start a line.
                    if (skipLastNewline) { skipLastNewline = false; continue; }
                    if (++newlines == lines) return position + i + 1;
                }
            }
            return 0;
        }
    }
}
