using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ICSharpCode.SharpZipLib.Tar;

namespace FoamPS.Foam
{
    /// <summary>What an extraction did.</summary>
    public sealed class ExtractResult
    {
        /// <summary>Files, links and directories written or created.</summary>
        public int Written { get; set; }

        /// <summary>Entries that were already there as they were sent (see <see cref="TarExtractor.Extract(Stream, string, IReadOnlyDictionary{string, CaseEntry}, ISet{string}, Action{string})"/>).</summary>
        public int Unchanged { get; set; }

        /// <summary>Refused entries, each "name: why".</summary>
        public List<string> Refused { get; } = new List<string>();
    }

    /// <summary>
    /// Unpacks a tar stream (the engine's archive API) into a directory, safely: entries that would land
    /// outside it are refused and reported, never written. Refused: absolute names, any ".." part (also
    /// "..\" parts, which are separators on Windows), hard links, devices and FIFOs, symbolic links that
    /// are absolute or climb out (".." is allowed only at the start of a link's target, and only as far
    /// as the destination), and any entry whose way down passes through a symbolic link on disk, so links
    /// in the archive or already in the destination cannot redirect a later write. The first path
    /// component (the archived directory's own name) is replaced by the destination.
    /// </summary>
    public static class TarExtractor
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>Extracts into a fresh destination; returns the number of files written. <paramref name="refused"/> hears each refused entry.</summary>
        public static int Extract(Stream tar, string destination, Action<string> refused)
        {
            var files = 0;
            Extract(tar, destination, null, null, refused, () => files++);
            return files;
        }

        /// <summary>
        /// Extracts what changed: entries equal to <paramref name="unchanged"/> (same kind, size, modification
        /// second, link target) are skipped, names in <paramref name="exclude"/> (relative, '/'-separated) are left alone.
        /// </summary>
        public static ExtractResult Extract(Stream tar, string destination, IReadOnlyDictionary<string, CaseEntry>? unchanged,
            ISet<string>? exclude, Action<string> refused) =>
            Extract(tar, destination, unchanged, exclude, refused, null);

        private static ExtractResult Extract(Stream tar, string destination, IReadOnlyDictionary<string, CaseEntry>? unchanged,
            ISet<string>? exclude, Action<string> refused, Action? fileWritten)
        {
            var result = new ExtractResult();
            void Refuse(string what) { result.Refused.Add(what); refused(what); }

            var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar);
            Directory.CreateDirectory(root);
            var realDirectories = new HashSet<string>(StringComparer.Ordinal) { "" };
            using var input = new TarInputStream(tar, System.Text.Encoding.UTF8) { IsStreamOwner = false };
            TarEntry? entry;
            while ((entry = input.GetNextEntry()) != null)
            {
                var header = entry.TarHeader;
                if (header.TypeFlag == TarHeader.LF_XHDR || header.TypeFlag == TarHeader.LF_GHDR) continue;
                var relative = StripFirst(entry.Name, out var unsafeName);
                if (unsafeName != null) { Refuse($"{entry.Name}: {unsafeName}"); continue; }
                if (relative == null) continue;   // the top directory itself
                if (exclude != null && exclude.Contains(relative)) continue;

                var kind = entry.IsDirectory ? 'd'
                    : header.TypeFlag == TarHeader.LF_SYMLINK ? 'l'
                    : header.TypeFlag == TarHeader.LF_NORMAL || header.TypeFlag == TarHeader.LF_OLDNORM ? 'f'
                    : '?';
                if (kind == '?')
                {
                    Refuse($"{entry.Name}: {(header.TypeFlag == TarHeader.LF_LINK ? $"a hard link to '{header.LinkName}'" : "not a file, directory or symbolic link")}");
                    continue;
                }
                var modified = (long)Math.Floor((DateTime.SpecifyKind(entry.ModTime, DateTimeKind.Utc) - Epoch).TotalSeconds);
                if (unchanged != null && unchanged.TryGetValue(relative, out var was) && was.Kind == kind &&
                    (kind == 'd' || (was.Modified == modified && (kind == 'l' ? was.LinkTarget == header.LinkName : was.Size == entry.Size))))
                {
                    result.Unchanged++;
                    continue;
                }

                var parts = relative.Split('/');
                var parent = string.Join("/", parts, 0, parts.Length - 1);
                if (!EnsureRealDirectory(root, parent, realDirectories, out var why)) { Refuse($"{entry.Name}: {why}"); continue; }
                var target = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
                try
                {
                    switch (kind)
                    {
                        case 'd':
                            if (!EnsureRealDirectory(root, relative, realDirectories, out why)) { Refuse($"{entry.Name}: {why}"); continue; }
                            // The owner keeps rwx on directories: the entries that follow must be writable.
                            SetMode(target, header.Mode | 0x1C0);
                            result.Written++;
                            break;
                        case 'l':
                            var linkWhy = LinkEscapes(parent, header.LinkName);
                            if (linkWhy != null) { Refuse($"{entry.Name}: a link to '{header.LinkName}', {linkWhy}"); continue; }
                            if (!ClearForFile(target, out why)) { Refuse($"{entry.Name}: {why}"); continue; }
#if NET7_0_OR_GREATER
                            File.CreateSymbolicLink(target, header.LinkName);
                            result.Written++;
#else
                            Refuse($"{entry.Name}: a link to '{header.LinkName}' (links are not created by this edition's build)");
#endif
                            break;
                        default:
                            if (!ClearForFile(target, out why)) { Refuse($"{entry.Name}: {why}"); continue; }
                            using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                                input.CopyEntryContents(file);
                            SetMode(target, header.Mode);
                            File.SetLastWriteTimeUtc(target, Epoch.AddSeconds(modified));
                            result.Written++;
                            fileWritten?.Invoke();
                            break;
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.WriteError,
                        $"Cannot write '{target}': {e.Message}", target, e);
                }
            }
            return result;
        }

        /// <summary>The name without its first component, '/'-separated; null for the top directory. Unsafe names say why.</summary>
        private static string? StripFirst(string name, out string? unsafeName)
        {
            unsafeName = null;
            if (name.IndexOf('\0') >= 0) { unsafeName = "a name with a NUL character"; return null; }
            if (name.StartsWith("/", StringComparison.Ordinal) || name.StartsWith("\\", StringComparison.Ordinal) ||
                (name.Length > 1 && name[1] == ':'))
            {
                unsafeName = "an absolute name, outside the destination";
                return null;
            }
            var parts = name.Split('/').Where(p => p.Length > 0 && p != ".").ToList();
            // A backslash is a separator on Windows: "..\x" would climb out there, so it is refused everywhere.
            if (parts.Any(p => p.Split('\\').Contains("..")))
            {
                unsafeName = "a name with '..', outside the destination";
                return null;
            }
            if (parts.Count <= 1) return null;
            if (Path.DirectorySeparatorChar == '\\' && parts.Skip(1).Any(p => p.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
            {
                unsafeName = "a name this file system cannot hold";
                return null;
            }
            return string.Join("/", parts.Skip(1));
        }

        /// <summary>
        /// Why a link at <paramref name="linkDirectory"/> (relative to the destination) pointing at <paramref name="target"/>
        /// would lead outside the destination; null when it stays inside. Only leading ".." parts are accepted:
        /// after a link, ".." would climb from wherever that link leads.
        /// </summary>
        internal static string? LinkEscapes(string linkDirectory, string target)
        {
            if (string.IsNullOrEmpty(target)) return "an empty target";
            if (target.StartsWith("/", StringComparison.Ordinal) || target.StartsWith("\\", StringComparison.Ordinal) || (target.Length > 1 && target[1] == ':'))
                return "outside the destination (absolute)";
            var depth = linkDirectory.Length == 0 ? 0 : linkDirectory.Split('/').Length;
            var climbing = true;
            foreach (var part in target.Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part.Split('\\').Contains(".."))
                {
                    if (!climbing || part != "..") return "which climbs out after going down (only leading '..' parts are followed)";
                    if (--depth < 0) return "outside the destination";
                }
                else climbing = false;
            }
            return null;
        }

        /// <summary>
        /// Makes sure <paramref name="relative"/> is a real directory, creating what is missing, and never
        /// passing through a link on disk.
        /// </summary>
        private static bool EnsureRealDirectory(string root, string relative, HashSet<string> real, out string? why)
        {
            why = null;
            if (real.Contains(relative)) return true;
            var path = "";
            foreach (var part in relative.Split('/'))
            {
                path = path.Length == 0 ? part : path + "/" + part;
                if (real.Contains(path)) continue;
                var full = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
                var info = new DirectoryInfo(full);
                if (info.Exists || File.Exists(full))
                {
                    var attributes = File.GetAttributes(full);
                    if ((attributes & FileAttributes.ReparsePoint) != 0) { why = $"'{path}' is a link on disk, and nothing is written through links"; return false; }
                    if ((attributes & FileAttributes.Directory) == 0)
                    {
                        // A file where the archive has a directory: the run replaced it.
                        File.Delete(full);
                        Directory.CreateDirectory(full);
                    }
                }
                else
                {
                    Directory.CreateDirectory(full);
                }
                real.Add(path);
            }
            return true;
        }

        /// <summary>Removes a file or link at <paramref name="target"/> (a link itself, never what it points to); refuses to replace a directory.</summary>
        private static bool ClearForFile(string target, out string? why)
        {
            why = null;
            FileAttributes attributes;
            try { attributes = File.GetAttributes(target); }
            catch (FileNotFoundException) { return true; }
            catch (DirectoryNotFoundException) { return true; }
            if ((attributes & FileAttributes.Directory) != 0 && (attributes & FileAttributes.ReparsePoint) == 0)
            {
                why = "a directory on disk has that name, and it is not replaced";
                return false;
            }
            if ((attributes & FileAttributes.Directory) != 0) Directory.Delete(target);   // a link to a directory: the link only
            else File.Delete(target);
            return true;
        }

        private static void SetMode(string path, int mode)
        {
#if NET7_0_OR_GREATER
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0x1FF));   // never setuid, setgid or sticky
#endif
        }
    }
}
