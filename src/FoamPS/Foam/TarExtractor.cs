using System;
using System.IO;
using ICSharpCode.SharpZipLib.Tar;

namespace FoamPS.Foam
{
    /// <summary>
    /// Unpacks a tar stream (the engine's archive API) into a directory, safely: entries that would
    /// land outside it (absolute paths, "..", links pointing out) are refused and reported, never
    /// written. The first path component (the archived directory's own name) is replaced by the
    /// destination.
    /// </summary>
    public static class TarExtractor
    {
        /// <summary>Extracts; returns the number of files written. <paramref name="refused"/> hears each refused entry.</summary>
        public static int Extract(Stream tar, string destination, Action<string> refused)
        {
            var root = Path.GetFullPath(destination).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            Directory.CreateDirectory(root);
            var files = 0;
            using var input = new TarInputStream(tar, System.Text.Encoding.UTF8) { IsStreamOwner = false };
            TarEntry? entry;
            while ((entry = input.GetNextEntry()) != null)
            {
                var relative = StripFirst(entry.Name);
                if (relative == null) continue;
                var target = Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));
                if (!target.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(relative) || relative.Split('/').Contains(".."))
                {
                    refused($"{entry.Name}: outside the destination");
                    continue;
                }
                var header = entry.TarHeader;
                if (entry.IsDirectory) { Directory.CreateDirectory(target); continue; }
                if (header.TypeFlag == TarHeader.LF_SYMLINK || header.TypeFlag == TarHeader.LF_LINK)
                {
                    CreateLink(target, header.LinkName, root, entry.Name, refused);
                    continue;
                }
                if (header.TypeFlag != TarHeader.LF_NORMAL && header.TypeFlag != TarHeader.LF_OLDNORM)
                {
                    refused($"{entry.Name}: not a regular file");
                    continue;
                }
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var file = File.Create(target)) input.CopyEntryContents(file);
                SetMode(target, entry.TarHeader.Mode);
                files++;
            }
            return files;
        }

        private static string? StripFirst(string name)
        {
            var n = name.Replace('\\', '/').TrimStart('.', '/');
            var slash = n.IndexOf('/');
            if (slash < 0 || slash == n.Length - 1) return null;   // the top directory itself
            return n.Substring(slash + 1).TrimEnd('/');
        }

        private static void CreateLink(string target, string linkName, string root, string entryName, Action<string> refused)
        {
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(target)!, linkName));
            if (Path.IsPathRooted(linkName) || !resolved.StartsWith(root, StringComparison.Ordinal))
            {
                refused($"{entryName}: a link to '{linkName}', outside the destination");
                return;
            }
#if NET7_0_OR_GREATER
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.CreateSymbolicLink(target, linkName);
#else
            refused($"{entryName}: a link to '{linkName}' (links are not created by this edition's build)");
#endif
        }

        private static void SetMode(string path, int mode)
        {
#if NET7_0_OR_GREATER
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)(mode & 0x1FF));
#endif
        }

        private static bool Contains(this string[] parts, string value) => Array.IndexOf(parts, value) >= 0;
    }
}
