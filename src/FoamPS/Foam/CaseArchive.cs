using System;
using System.Collections.Generic;
using System.IO;
using ICSharpCode.SharpZipLib.Tar;

namespace FoamPS.Foam
{
    /// <summary>What a case entry was when it was sent, to tell what a run changed.</summary>
    public sealed class CaseEntry
    {
        public CaseEntry(char kind, long size, long modified, string? linkTarget = null)
        {
            Kind = kind; Size = size; Modified = modified; LinkTarget = linkTarget;
        }

        /// <summary>'f' file, 'd' directory, 'l' symbolic link.</summary>
        public char Kind { get; }
        public long Size { get; }

        /// <summary>Unix seconds, as tar keeps them.</summary>
        public long Modified { get; }
        public string? LinkTarget { get; }
    }

    /// <summary>
    /// Packs a case directory into a tar for the engine's archive API (PUT), without following links
    /// and without reading anything outside the case. Entries are named <c>prefix/relative/path</c>
    /// and owned by the given uid:gid, so the run's user owns them in the container.
    /// </summary>
    public static class CaseArchive
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public static long UnixSeconds(DateTime utc) => (long)Math.Floor((utc.ToUniversalTime() - Epoch).TotalSeconds);

        /// <summary>
        /// Writes the tar of <paramref name="caseRoot"/> to <paramref name="output"/>; returns what was sent,
        /// by path relative to the case ("" is the case directory itself). <paramref name="skipped"/> hears
        /// what could not be sent (links on editions that cannot read them, unreadable files are errors).
        /// </summary>
        public static Dictionary<string, CaseEntry> Pack(string caseRoot, Stream output, string prefix, int uid, int gid, Action<string> skipped)
        {
            var sent = new Dictionary<string, CaseEntry>(StringComparer.Ordinal);
            var root = new DirectoryInfo(Path.GetFullPath(caseRoot));
            using var tar = new TarOutputStream(output, System.Text.Encoding.UTF8) { IsStreamOwner = false };
            prefix = prefix.Trim('/');
            AddDirectory(tar, root, "", prefix, uid, gid, sent, skipped);
            tar.Finish();
            return sent;
        }

        private static void AddDirectory(TarOutputStream tar, DirectoryInfo dir, string relative, string prefix, int uid, int gid,
            Dictionary<string, CaseEntry> sent, Action<string> skipped)
        {
            var entry = NewEntry(relative.Length == 0 ? prefix + "/" : prefix + "/" + relative + "/", TarHeader.LF_DIR, uid, gid, Mode(dir, 0x1ED /* 0755 */), dir.LastWriteTimeUtc);
            tar.PutNextEntry(entry);
            sent[relative] = new CaseEntry('d', 0, UnixSeconds(dir.LastWriteTimeUtc));

            FileSystemInfo[] children;
            try { children = dir.GetFileSystemInfos(); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.PermissionDenied,
                    $"Cannot read the case directory '{dir.FullName}' to send it to the engine: {e.Message}", dir.FullName, e);
            }
            Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var child in children)
            {
                var rel = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                var name = prefix + "/" + rel;
                if ((child.Attributes & FileAttributes.ReparsePoint) != 0)
                {
#if NET7_0_OR_GREATER
                    var target = child.LinkTarget;
                    if (target == null) { skipped($"{rel}: a reparse point that is not a link"); continue; }
                    // A tar header holds 100 bytes of link target; a longer one would arrive cut short.
                    if (System.Text.Encoding.UTF8.GetByteCount(target) >= 100) { skipped($"{rel}: a link whose target is 100 bytes or longer (it stays here as it is)"); continue; }
                    var link = NewEntry(name, TarHeader.LF_SYMLINK, uid, gid, 0x1FF, child.LastWriteTimeUtc);
                    link.TarHeader.LinkName = target.Replace('\\', '/');
                    tar.PutNextEntry(link);
                    sent[rel] = new CaseEntry('l', 0, UnixSeconds(child.LastWriteTimeUtc), link.TarHeader.LinkName);
#else
                    skipped($"{rel}: a link (this edition's build cannot read link targets)");
#endif
                    continue;
                }
                if (child is DirectoryInfo sub)
                {
                    AddDirectory(tar, sub, rel, prefix, uid, gid, sent, skipped);
                    continue;
                }
                var file = (FileInfo)child;
                var header = NewEntry(name, TarHeader.LF_NORMAL, uid, gid, Mode(file, DefaultFileMode(file.Name)), file.LastWriteTimeUtc);
                header.Size = file.Length;
                tar.PutNextEntry(header);
                // An empty file is never opened: a FIFO or device in the case would block or never end.
                if (file.Length > 0)
                {
                    try
                    {
                        using var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920);
                        CopyExactly(input, tar, file.Length, file.FullName);
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        throw new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.PermissionDenied,
                            $"Cannot read '{file.FullName}' to send the case to the engine: {e.Message}", file.FullName, e);
                    }
                }
                tar.CloseEntry();
                sent[rel] = new CaseEntry('f', file.Length, UnixSeconds(file.LastWriteTimeUtc));
            }
        }

        /// <summary>Copies exactly <paramref name="length"/> bytes (the size in the header), even if the file changes meanwhile.</summary>
        private static void CopyExactly(Stream input, Stream output, long length, string path)
        {
            var buffer = new byte[81920];
            var left = length;
            while (left > 0)
            {
                var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0)
                {
                    // The file shrank while being sent: pad with zeros, so the archive stays valid.
                    Array.Clear(buffer, 0, buffer.Length);
                    while (left > 0) { var z = (int)Math.Min(buffer.Length, left); output.Write(buffer, 0, z); left -= z; }
                    break;
                }
                output.Write(buffer, 0, n);
                left -= n;
            }
        }

        private static TarEntry NewEntry(string name, byte type, int uid, int gid, int mode, DateTime modified)
        {
            var entry = TarEntry.CreateTarEntry(name);
            entry.TarHeader.TypeFlag = type;
            entry.TarHeader.Mode = mode;
            entry.TarHeader.UserId = uid;
            entry.TarHeader.GroupId = gid;
            entry.TarHeader.UserName = "";
            entry.TarHeader.GroupName = "";
            entry.ModTime = Epoch.AddSeconds(UnixSeconds(modified));
            entry.Size = 0;
            return entry;
        }

        /// <summary>Scripts (Allrun, *.sh) are executable where modes cannot be read.</summary>
        private static int DefaultFileMode(string name) =>
            name.StartsWith("All", StringComparison.Ordinal) || name.EndsWith(".sh", StringComparison.Ordinal) ? 0x1ED : 0x1A4;

        private static int Mode(FileSystemInfo info, int fallback)
        {
#if NET7_0_OR_GREATER
            if (!OperatingSystem.IsWindows())
            {
                try { return (int)info.UnixFileMode & 0xFFF; }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }
#endif
            return fallback;
        }
    }
}
