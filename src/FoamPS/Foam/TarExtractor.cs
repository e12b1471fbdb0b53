using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using ICSharpCode.SharpZipLib.Tar;

namespace FoamPS.Foam
{
    /// <summary>What an extraction did.</summary>
    public sealed class ExtractResult
    {
        /// <summary>Files, links and directories written or created.</summary>
        public int Written { get; set; }

        /// <summary>Entries that were already there as they were sent (see <see cref="TarExtractor.Extract(Stream, string, IReadOnlyDictionary{string, CaseEntry}, ISet{string}, Action{string}, Action{string})"/>).</summary>
        public int Unchanged { get; set; }

        /// <summary>Refused entries, each "name: why".</summary>
        public List<string> Refused { get; } = new List<string>();

        /// <summary>Every name the archive held (relative, '/'-separated), written or not: what is not here was deleted.</summary>
        public HashSet<string> Seen { get; } = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Entries removed here because the command deleted them (see <see cref="TarExtractor.RemoveDeleted"/>).</summary>
        public int Deleted { get; set; }
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
        /// <remarks>Also tells <paramref name="made"/> the full path of each file, directory and link it writes (to give it an owner).</remarks>
        public static ExtractResult Extract(Stream tar, string destination, IReadOnlyDictionary<string, CaseEntry>? unchanged,
            ISet<string>? exclude, Action<string> refused, Action<string>? made = null) =>
            Extract(tar, destination, unchanged, exclude, refused, null, made);

        private static ExtractResult Extract(Stream tar, string destination, IReadOnlyDictionary<string, CaseEntry>? unchanged,
            ISet<string>? exclude, Action<string> refused, Action? fileWritten, Action<string>? made = null)
        {
            var result = new ExtractResult();
            void Refuse(string what) { result.Refused.Add(what); refused(what); }

            var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar);
            Directory.CreateDirectory(root);
            var realDirectories = new HashSet<string>(NameComparer) { "" };
            // Files written by this extraction, for hard links to them (the engine sends a file's second name as one).
            var writtenFiles = new Dictionary<string, string>(NameComparer);
            var buffer = new byte[81920];
            using var input = new TarInputStream(tar, System.Text.Encoding.UTF8) { IsStreamOwner = false };
            while (true)
            {
                TarEntry? entry;
                try { entry = input.GetNextEntry(); }
                catch (Exception e) when (!(e is FoamException) && !(e is OutOfMemoryException)) { throw ReadFailed(e); }
                if (entry == null) break;
                var header = entry.TarHeader;
                if (header.TypeFlag == TarHeader.LF_XHDR || header.TypeFlag == TarHeader.LF_GHDR) continue;
                var relative = StripFirst(entry.Name, out var unsafeName);
                if (unsafeName != null) { Refuse($"{entry.Name}: {unsafeName}"); continue; }
                if (relative == null) continue;   // the top directory itself
                result.Seen.Add(relative);
                if (Excluded(exclude, relative)) continue;

                var kind = entry.IsDirectory ? 'd'
                    : header.TypeFlag == TarHeader.LF_SYMLINK ? 'l'
                    : header.TypeFlag == TarHeader.LF_NORMAL || header.TypeFlag == TarHeader.LF_OLDNORM ? 'f'
                    : header.TypeFlag == TarHeader.LF_LINK ? 'h'
                    : '?';
                if (kind == '?') { Refuse($"{entry.Name}: not a file, directory or link"); continue; }
                var modified = (long)Math.Floor((DateTime.SpecifyKind(entry.ModTime, DateTimeKind.Utc) - Epoch).TotalSeconds);
                if (unchanged != null && unchanged.TryGetValue(relative, out var was) && was.Kind == kind &&
                    (kind == 'd' || (was.Modified == modified && (kind == 'l' ? was.LinkTarget == header.LinkName : was.Size == entry.Size))))
                {
                    result.Unchanged++;
                    continue;
                }

                var parts = relative.Split('/');
                var parent = string.Join("/", parts, 0, parts.Length - 1);
                string? why;
                try
                {
                    if (!EnsureRealDirectory(root, parent, realDirectories, out why, made)) { Refuse($"{entry.Name}: {why}"); continue; }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw WriteFailed(Path.Combine(root, parent), e); }
                var target = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
                try
                {
                    switch (kind)
                    {
                        case 'd':
                            if (!EnsureRealDirectory(root, relative, realDirectories, out why, made)) { Refuse($"{entry.Name}: {why}"); continue; }
                            // The owner keeps rwx on directories: the entries that follow must be writable.
                            SetMode(target, header.Mode | 0x1C0);
                            result.Written++;
                            made?.Invoke(target);
                            break;
                        case 'l':
                            // The header holds 100 bytes; a longer target (PAX linkpath) would come back cut short.
                            if (System.Text.Encoding.UTF8.GetByteCount(header.LinkName) >= 100)
                            { Refuse($"{entry.Name}: a link whose target is 100 bytes or longer, which cannot be read back intact"); continue; }
                            var linkWhy = LinkEscapes(parent, header.LinkName) ?? ThroughLinkOnDisk(root, parent, header.LinkName);
                            if (linkWhy != null) { Refuse($"{entry.Name}: a link to '{header.LinkName}', {linkWhy}"); continue; }
                            if (!CanReplace(target, out why)) { Refuse($"{entry.Name}: {why}"); continue; }
#if NET7_0_OR_GREATER
                            Remove(target);
                            File.CreateSymbolicLink(target, header.LinkName);
                            result.Written++;
                            made?.Invoke(target);
#else
                            Refuse($"{entry.Name}: a link to '{header.LinkName}' (links are not created by this edition's build)");
#endif
                            break;
                        case 'h':
                            var source = StripFirst(header.LinkName, out _);
                            if (source == null || !writtenFiles.TryGetValue(source, out var sourcePath))
                            { Refuse($"{entry.Name}: a hard link to '{header.LinkName}', which is not a file of this copy"); continue; }
                            if (!CanReplace(target, out why)) { Refuse($"{entry.Name}: {why}"); continue; }
                            var copy = TemporaryName(target);
                            try
                            {
                                File.Copy(sourcePath, copy);
                                Remove(target);
                                File.Move(copy, target);
                            }
                            finally { if (File.Exists(copy)) File.Delete(copy); }
                            writtenFiles[relative] = target;
                            result.Written++;
                            fileWritten?.Invoke();
                            made?.Invoke(target);
                            break;
                        default:
                            if (!CanReplace(target, out why)) { Refuse($"{entry.Name}: {why}"); continue; }
                            // Into a new file beside it, renamed over the old one only when complete:
                            // a transfer that breaks off never leaves a file cut short.
                            var temporary = TemporaryName(target);
                            try
                            {
                                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                                    CopyEntry(input, file, entry.Size, buffer, temporary);
                                SetMode(temporary, header.Mode);
                                File.SetLastWriteTimeUtc(temporary, Epoch.AddSeconds(modified));
                                Remove(target);
                                File.Move(temporary, target);
                            }
                            finally { if (File.Exists(temporary)) File.Delete(temporary); }
                            writtenFiles[relative] = target;
                            result.Written++;
                            fileWritten?.Invoke();
                            made?.Invoke(target);
                            break;
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
                {
                    throw WriteFailed(target, e);
                }
            }
            return result;
        }

        /// <summary>
        /// After a complete extraction: removes what was sent but is no longer in the container (the command
        /// deleted it), as a bind mount would have, but only entries still exactly as they were sent (so
        /// nothing changed here meanwhile is lost), never through a link, and directories only when empty.
        /// </summary>
        public static void RemoveDeleted(string destination, IReadOnlyDictionary<string, CaseEntry> sent, ExtractResult result,
            ISet<string>? exclude, Action<string> removed)
        {
            // An archive with nothing in it is more likely a fault than a command that deleted the whole case.
            if (result.Seen.Count == 0) return;
            var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar);
            // Deepest first, so a deleted directory is empty by the time it is reached.
            foreach (var pair in sent.Where(p => p.Key.Length > 0 && !result.Seen.Contains(p.Key) && !Excluded(exclude, p.Key))
                         .OrderByDescending(p => p.Key.Count(c => c == '/')).ThenBy(p => p.Key, StringComparer.Ordinal))
            {
                var relative = pair.Key;
                var was = pair.Value;
                var parts = relative.Split('/');
                if (!ParentsAreReal(root, parts)) continue;
                var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
                try
                {
                    var info = new FileInfo(path);
                    FileAttributes attributes;
                    try { attributes = File.GetAttributes(path); }
                    catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException) { continue; }
                    var isLink = (attributes & FileAttributes.ReparsePoint) != 0;
                    var isDirectory = (attributes & FileAttributes.Directory) != 0;
                    var seconds = CaseArchive.UnixSeconds(isDirectory && !isLink ? Directory.GetLastWriteTimeUtc(path) : info.LastWriteTimeUtc);
                    switch (was.Kind)
                    {
                        case 'f' when !isLink && !isDirectory && info.Length == was.Size && seconds == was.Modified:
                            File.Delete(path);
                            break;
#if NET7_0_OR_GREATER
                        case 'l' when isLink && info.LinkTarget?.Replace('\\', '/') == was.LinkTarget:
                            if (isDirectory) Directory.Delete(path); else File.Delete(path);
                            break;
#endif
                        case 'd' when isDirectory && !isLink && !Directory.EnumerateFileSystemEntries(path).Any():
                            Directory.Delete(path);
                            break;
                        default:
                            continue;   // changed here, or not empty: kept
                    }
                    result.Deleted++;
                    removed(relative);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { /* kept: it could not be removed */ }
            }
        }

        private static bool ParentsAreReal(string root, string[] parts)
        {
            var path = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                path = Path.Combine(path, parts[i]);
                try
                {
                    var attributes = File.GetAttributes(path);
                    if ((attributes & FileAttributes.ReparsePoint) != 0 || (attributes & FileAttributes.Directory) == 0) return false;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return false; }
            }
            return true;
        }

        /// <summary>Reading the archive failed (the engine's stream broke off): what was complete is in place.</summary>
        private static FoamException ReadFailed(Exception e) =>
            e as FoamException ?? new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.ConnectionError,
                $"Reading the archive from the engine failed: {e.Message} Files that were complete are in place; none was left cut short.", null, e);

        private static FoamException WriteFailed(string path, Exception e) =>
            new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.WriteError, $"Cannot write '{path}': {e.Message}", path, e);

        /// <summary>Copies one entry's bytes; a short entry (the stream ended early) is a read failure.</summary>
        private static void CopyEntry(TarInputStream input, Stream output, long size, byte[] buffer, string path)
        {
            long copied = 0;
            while (true)
            {
                int n;
                try { n = input.Read(buffer, 0, buffer.Length); }
                catch (Exception e) when (!(e is OutOfMemoryException)) { throw ReadFailed(e); }
                if (n <= 0) break;
                output.Write(buffer, 0, n);
                copied += n;
            }
            if (copied != size) throw ReadFailed(new EndOfStreamException($"'{path}' ended after {copied} of {size} bytes."));
        }

        /// <summary>A name beside <paramref name="target"/> for writing it before it replaces the old one.</summary>
        private static string TemporaryName(string target) =>
            Path.Combine(Path.GetDirectoryName(target)!, ".foamps-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");

        /// <summary>Names compare as the file system does: case-insensitively on Windows and macOS.</summary>
        private static StringComparer NameComparer =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        /// <summary>An excluded name, or anything under it (a directory of that name would replace it).</summary>
        private static bool Excluded(ISet<string>? exclude, string relative)
        {
            if (exclude == null) return false;
            var comparison = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            foreach (var name in exclude)
            {
                if (string.Equals(relative, name, comparison) || relative.StartsWith(name + "/", comparison)) return true;
            }
            return false;
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
            if (Path.DirectorySeparatorChar == '\\' && parts.Skip(1).Any(p => p.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || WindowsReserved(p)))
            {
                unsafeName = "a name this file system cannot hold";
                return null;
            }
            return string.Join("/", parts.Skip(1));
        }

        private static readonly HashSet<string> ReservedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        };

        /// <summary>Device names (aux.c is AUX on Windows) and names ending in a dot or space, which Windows changes.</summary>
        internal static bool WindowsReserved(string name)
        {
            if (name.EndsWith(".", StringComparison.Ordinal) || name.EndsWith(" ", StringComparison.Ordinal)) return true;
            var dot = name.IndexOf('.');
            return ReservedNames.Contains(dot < 0 ? name : name.Substring(0, dot));
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
        private static bool EnsureRealDirectory(string root, string relative, HashSet<string> real, out string? why, Action<string>? made = null)
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
                        made?.Invoke(full);
                    }
                }
                else
                {
                    Directory.CreateDirectory(full);
                    made?.Invoke(full);
                }
                real.Add(path);
            }
            return true;
        }

        /// <summary>True when <paramref name="target"/> is free, a file or a link; a real directory is never replaced.</summary>
        private static bool CanReplace(string target, out string? why)
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
            return true;
        }

        /// <summary>Removes a file or link (a link itself, never what it points to), if there is one.</summary>
        private static void Remove(string target)
        {
            FileAttributes attributes;
            try { attributes = File.GetAttributes(target); }
            catch (FileNotFoundException) { return; }
            catch (DirectoryNotFoundException) { return; }
            if ((attributes & FileAttributes.Directory) != 0) Directory.Delete(target);   // a link to a directory: the link only
            else File.Delete(target);
        }

        /// <summary>
        /// Why a link target would lead through a link already on disk (which may point anywhere); null when
        /// every part of it that exists is a real directory or file.
        /// </summary>
        private static string? ThroughLinkOnDisk(string root, string linkDirectory, string target)
        {
            var at = linkDirectory.Length == 0 ? new List<string>() : new List<string>(linkDirectory.Split('/'));
            foreach (var part in target.Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..") { at.RemoveAt(at.Count - 1); continue; }
                at.Add(part);
                var full = Path.Combine(root, string.Join(Path.DirectorySeparatorChar.ToString(), at));
                FileAttributes attributes;
                try { attributes = File.GetAttributes(full); }
                catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException) { return null; }
                if ((attributes & FileAttributes.ReparsePoint) != 0) return $"which leads through '{string.Join("/", at)}', a link on disk";
            }
            return null;
        }

        private static void SetMode(string path, int mode)
        {
#if NET7_0_OR_GREATER
            // Never setuid, setgid or sticky, and never writable by group or others (as a 022 umask would
            // have it): a container cannot make the case writable by every user of this machine.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0x1ED));
#endif
        }
    }
}
