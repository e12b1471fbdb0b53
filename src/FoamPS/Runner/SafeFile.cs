using System;
using System.IO;

namespace FoamPS.Runner
{
    /// <summary>
    /// Files FoamPS writes into a case that a run's container (as another user) can also write: made under a
    /// fresh name with CreateNew (which never follows a link), given to the run's user, then renamed over the
    /// destination. A link planted at the destination is replaced, never written through, with no window
    /// between a check and the open.
    /// </summary>
    public static class SafeFile
    {
        /// <summary>
        /// A new, empty file that takes <paramref name="path"/>'s place at once, open for writing. When
        /// <paramref name="owner"/> is given ("uid:gid") and FoamPS runs as root, the file is the owner's.
        /// </summary>
        public static FileStream Replace(string path, string? owner, int bufferSize = 1)
        {
            var temporary = TemporaryName(path);
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize);
            try
            {
                if (owner != null) HostIdentity.HandOver(temporary, owner);
                MoveOver(temporary, path);
                return stream;
            }
            catch
            {
                stream.Dispose();
                try { File.Delete(temporary); } catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
                throw;
            }
        }

        /// <summary>Writes <paramref name="text"/> as <paramref name="path"/>, replacing whatever (or whichever link) is there.</summary>
        public static void WriteAllText(string path, string text, string? owner)
        {
            var temporary = TemporaryName(path);
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096))
                using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
                    writer.Write(text);
                if (owner != null) HostIdentity.HandOver(temporary, owner);
                MoveOver(temporary, path);
            }
            finally
            {
                try { if (File.Exists(temporary)) File.Delete(temporary); } catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }
        }

        /// <summary>
        /// Checks, without touching <paramref name="path"/>, that a file can be put there: not a directory, and its
        /// folder takes a new file. Throws what the file system says.
        /// </summary>
        public static void EnsureCanReplace(string path)
        {
            if (Directory.Exists(path) && !LogFile.IsLink(path))
                throw new IOException($"'{path}' is a directory.");
            var probe = TemporaryName(path);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }

        private static string TemporaryName(string path) =>
            Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", "." + Path.GetFileName(path) + ".foamps-" + Guid.NewGuid().ToString("N").Substring(0, 8));

        private static void MoveOver(string from, string to)
        {
#if NETCOREAPP3_0_OR_GREATER
            // rename(2): replaces a file or a link at the destination in one step.
            File.Move(from, to, overwrite: true);
#else
            // Windows PowerShell's build: no overwriting move; a link is removed first, never followed.
            if (File.Exists(to) || LogFile.IsLink(to)) File.Delete(to);
            File.Move(from, to);
#endif
        }
    }
}
