using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FoamPS;
using FoamPS.Foam;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;

namespace FoamPS.Tests
{
    /// <summary>Packing a case and extracting archives back into it: round trip, change detection, and refusal of every way out.</summary>
    public sealed class CaseArchiveTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "foamps-tar-" + Guid.NewGuid().ToString("N"));
        private string Case => Path.Combine(_dir, "case");
        private string Outside => Path.Combine(_dir, "outside");

        public CaseArchiveTests()
        {
            Directory.CreateDirectory(Case);
            Directory.CreateDirectory(Outside);
        }

        public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

        /// <summary>A tar as the engine sends it: everything under "project/".</summary>
        private static MemoryStream Tar(params (string Name, byte Type, string Content, string Link)[] entries)
        {
            var memory = new MemoryStream();
            using (var tar = new TarOutputStream(memory, Encoding.UTF8) { IsStreamOwner = false })
            {
                foreach (var (name, type, content, link) in entries)
                {
                    var entry = TarEntry.CreateTarEntry(name);
                    entry.TarHeader.TypeFlag = type;
                    entry.TarHeader.Mode = type == TarHeader.LF_DIR ? 0x1ED : 0x1A4;
                    entry.TarHeader.LinkName = link;
                    var bytes = Encoding.UTF8.GetBytes(content);
                    entry.Size = type == TarHeader.LF_NORMAL ? bytes.Length : 0;
                    entry.ModTime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
                    tar.PutNextEntry(entry);
                    if (bytes.Length > 0 && type == TarHeader.LF_NORMAL) tar.Write(bytes, 0, bytes.Length);
                    tar.CloseEntry();
                }
            }
            memory.Position = 0;
            return memory;
        }

        private static (string, byte, string, string) F(string name, string content = "x") => (name, TarHeader.LF_NORMAL, content, "");
        private static (string, byte, string, string) D(string name) => (name, TarHeader.LF_DIR, "", "");
        private static (string, byte, string, string) L(string name, string target) => (name, TarHeader.LF_SYMLINK, "", target);

        private ExtractResult Extract(MemoryStream tar, IReadOnlyDictionary<string, CaseEntry>? unchanged = null, ISet<string>? exclude = null) =>
            TarExtractor.Extract(tar, Case, unchanged, exclude, _ => { });

        private string[] OutsideFiles() => Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(Case + Path.DirectorySeparatorChar, StringComparison.Ordinal) && p != Case && p != Outside).ToArray();

        [Fact]
        public void Pack_then_extract_gives_the_same_tree_and_modes()
        {
            var src = Path.Combine(_dir, "src");
            Directory.CreateDirectory(Path.Combine(src, "system"));
            File.WriteAllText(Path.Combine(src, "system", "controlDict"), "application icoFoam;");
            File.WriteAllText(Path.Combine(src, "Allrun"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(src, "Allrun"), (UnixFileMode)0x1ED);
            File.CreateSymbolicLink(Path.Combine(src, "mesh"), "system");
            File.WriteAllText(Path.Combine(src, "empty"), "");

            var tar = new MemoryStream();
            var sent = CaseArchive.Pack(src, tar, "home/openfoam/project", 1234, 5678, s => throw new Exception(s));
            Assert.Equal(new[] { "", "Allrun", "empty", "mesh", "system", "system/controlDict" }, sent.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal('l', sent["mesh"].Kind);
            Assert.Equal("system", sent["mesh"].LinkTarget);

            tar.Position = 0;
            var names = new List<string>();
            using (var input = new TarInputStream(tar, Encoding.UTF8) { IsStreamOwner = false })
            {
                TarEntry? e;
                while ((e = input.GetNextEntry()) != null)
                {
                    names.Add(e.Name);
                    Assert.Equal(1234, e.TarHeader.UserId);
                    Assert.Equal(5678, e.TarHeader.GroupId);
                }
            }
            Assert.Contains("home/openfoam/project/", names);
            Assert.Contains("home/openfoam/project/system/controlDict", names);

            // Back out as the engine would send it: "project/..."
            tar.Position = 0;
            var result = TarExtractor.Extract(tar, Case, null, null, _ => { });
            Assert.Empty(result.Refused);
            Assert.Equal("application icoFoam;", File.ReadAllText(Path.Combine(Case, "openfoam", "project", "system", "controlDict")));
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Case, "openfoam", "project", "Allrun")));
            Assert.Equal("system", new FileInfo(Path.Combine(Case, "openfoam", "project", "mesh")).LinkTarget);
        }

        [Fact]
        public void Unchanged_entries_are_skipped_and_changed_ones_written()
        {
            var when = CaseArchive.UnixSeconds(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
            var sent = new Dictionary<string, CaseEntry>
            {
                ["same"] = new CaseEntry('f', 1, when),
                ["grown"] = new CaseEntry('f', 0, when),
            };
            File.WriteAllText(Path.Combine(Case, "same"), "local");
            var result = Extract(Tar(D("project/"), F("project/same"), F("project/grown", "abc"), F("project/new", "n")), sent);
            Assert.Equal("local", File.ReadAllText(Path.Combine(Case, "same")));   // not rewritten
            Assert.Equal("abc", File.ReadAllText(Path.Combine(Case, "grown")));
            Assert.Equal("n", File.ReadAllText(Path.Combine(Case, "new")));
            Assert.Equal(1, result.Unchanged);
            Assert.Equal(2, result.Written);
        }

        [Fact]
        public void Excluded_names_are_left_alone()
        {
            File.WriteAllText(Path.Combine(Case, "log.icoFoam"), "live log");
            Extract(Tar(F("project/log.icoFoam", "stale")), exclude: new HashSet<string> { "log.icoFoam" });
            Assert.Equal("live log", File.ReadAllText(Path.Combine(Case, "log.icoFoam")));
        }

        [Theory]
        [InlineData("project/../escaped")]
        [InlineData("project/a/../../escaped")]
        [InlineData("/etc/escaped")]
        [InlineData("project/..\\..\\escaped")]
        public void Names_that_climb_out_are_refused(string name)
        {
            var result = Extract(Tar(F(name, "evil")));
            Assert.Single(result.Refused);
            Assert.Empty(OutsideFiles());
            Assert.Empty(Directory.GetFileSystemEntries(Case));
        }

        [Theory]
        [InlineData("project/etc", "/etc")]
        [InlineData("project/up", "..")]
        [InlineData("project/sub/up2", "../..")]
        [InlineData("project/sub/down-up", "x/../..")]
        public void Links_that_lead_out_are_refused(string name, string target)
        {
            var result = Extract(Tar(L(name, target)));
            Assert.Single(result.Refused);
            Assert.False(File.Exists(Path.Combine(Case, name.Substring("project/".Length))));
            Assert.Null(new FileInfo(Path.Combine(Case, name.Substring("project/".Length))).LinkTarget);
        }

        [Fact]
        public void Links_inside_the_case_are_kept()
        {
            var result = Extract(Tar(D("project/mesh/"), L("project/constant/polyMesh", "../mesh"), L("project/here", "mesh")));
            Assert.Empty(result.Refused);
            Assert.Equal("../mesh", new FileInfo(Path.Combine(Case, "constant", "polyMesh")).LinkTarget);
        }

        [Fact]
        public void Nothing_is_written_through_a_link_from_the_archive()
        {
            // "dot -> ." then "dot/up -> .." would resolve outside through the first link.
            var result = Extract(Tar(L("project/dot", "."), L("project/dot/up", ".."), F("project/dot/up/escaped", "evil")));
            Assert.Equal(2, result.Refused.Count);
            Assert.Empty(OutsideFiles());
        }

        [Fact]
        public void Nothing_is_written_through_a_link_already_in_the_case()
        {
            Directory.CreateSymbolicLink(Path.Combine(Case, "shared"), Outside);
            var result = Extract(Tar(F("project/shared/escaped", "evil")));
            Assert.Single(result.Refused);
            Assert.Empty(Directory.GetFileSystemEntries(Outside));
        }

        [Fact]
        public void A_file_replacing_a_link_replaces_the_link_not_its_target()
        {
            var target = Path.Combine(Outside, "precious");
            File.WriteAllText(target, "keep");
            File.CreateSymbolicLink(Path.Combine(Case, "f"), target);
            Extract(Tar(F("project/f", "new")));
            Assert.Equal("keep", File.ReadAllText(target));
            Assert.Equal("new", File.ReadAllText(Path.Combine(Case, "f")));
            Assert.Null(new FileInfo(Path.Combine(Case, "f")).LinkTarget);
        }

        [Fact]
        public void A_directory_under_the_live_logs_name_is_left_out_too()
        {
            File.WriteAllText(Path.Combine(Case, "log.icoFoam"), "live log");
            var result = Extract(Tar(D("project/log.icoFoam/"), F("project/log.icoFoam/x", "evil"), F("project/kept")), exclude: new HashSet<string> { "log.icoFoam" });
            Assert.Equal("live log", File.ReadAllText(Path.Combine(Case, "log.icoFoam")));
            Assert.True(File.Exists(Path.Combine(Case, "kept")));
        }

        /// <summary>A stream that breaks off (like a dropped connection) after a number of bytes.</summary>
        private sealed class BreakingStream : Stream
        {
            private readonly Stream _inner; private long _left;
            public BreakingStream(Stream inner, long bytes) { _inner = inner; _left = bytes; }
            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_left <= 0) throw new IOException("connection reset by peer");
                var n = _inner.Read(buffer, offset, (int)Math.Min(count, _left));
                _left -= n;
                return n;
            }
            public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        [Fact]
        public void A_transfer_that_breaks_off_never_leaves_a_file_cut_short()
        {
            var points = Path.Combine(Case, "points");
            File.WriteAllText(points, new string('p', 50000));
            var tar = Tar(F("project/points", new string('q', 60000)));
            var e = Assert.Throws<FoamException>(() => TarExtractor.Extract(new BreakingStream(tar, 30000), Case, null, null, _ => { }));
            Assert.Equal(ErrorIds.CaseTransferFailed, e.ErrorId);
            Assert.Equal(FoamErrorKind.ConnectionError, e.Kind);
            Assert.Equal(new string('p', 50000), File.ReadAllText(points));
            Assert.Equal(new[] { points }, Directory.GetFileSystemEntries(Case));   // no temporary file left
        }

        [Fact]
        public void Modes_never_make_the_case_writable_by_others()
        {
            var memory = new MemoryStream();
            using (var tar = new TarOutputStream(memory, Encoding.UTF8) { IsStreamOwner = false })
            {
                foreach (var (name, type) in new[] { ("project/open/", TarHeader.LF_DIR), ("project/open/Allrun", TarHeader.LF_NORMAL) })
                {
                    var entry = TarEntry.CreateTarEntry(name);
                    entry.TarHeader.TypeFlag = type;
                    entry.TarHeader.Mode = 0xFFF;   // 07777
                    entry.Size = 0;
                    tar.PutNextEntry(entry);
                    tar.CloseEntry();
                }
            }
            memory.Position = 0;
            Extract(memory);
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Case, "open")));
            Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(Case, "open", "Allrun")));
        }

        [Fact]
        public void A_link_through_a_link_already_in_the_case_is_refused()
        {
            Directory.CreateSymbolicLink(Path.Combine(Case, "shared"), Outside);
            var result = Extract(Tar(L("project/alias", "shared"), L("project/deeper", "shared/x")));
            Assert.Equal(2, result.Refused.Count);
            Assert.False(File.Exists(Path.Combine(Case, "alias")) || Directory.Exists(Path.Combine(Case, "alias")));
        }

        [Fact]
        public void A_link_target_that_may_have_been_cut_short_is_refused()
        {
            var result = Extract(Tar(L("project/geo", "constant/" + new string('a', 91))));
            Assert.Single(result.Refused);
            Assert.Contains("100 bytes", result.Refused[0]);
        }

        [Fact]
        public void A_hard_link_to_a_file_of_the_same_copy_becomes_a_copy_of_it()
        {
            var result = Extract(Tar(F("project/a", "same"), ("project/b", TarHeader.LF_LINK, "", "project/a")));
            Assert.Empty(result.Refused);
            Assert.Equal("same", File.ReadAllText(Path.Combine(Case, "b")));
        }

        [Theory]
        [InlineData("aux.c", true)]
        [InlineData("CON", true)]
        [InlineData("com1.txt", true)]
        [InlineData("name.", true)]
        [InlineData("name ", true)]
        [InlineData("auxiliary.c", false)]
        [InlineData("controlDict", false)]
        public void Names_windows_cannot_hold(string name, bool reserved)
        {
            Assert.Equal(reserved, TarExtractor.WindowsReserved(name));
        }

        [Fact]
        public void Long_link_targets_stay_here_and_are_not_sent()
        {
            var src = Path.Combine(_dir, "src-long");
            Directory.CreateDirectory(src);
            File.CreateSymbolicLink(Path.Combine(src, "geo"), "constant/" + new string('a', 120));
            var skipped = new List<string>();
            var sent = CaseArchive.Pack(src, new MemoryStream(), "project", 0, 0, skipped.Add);
            Assert.False(sent.ContainsKey("geo"));
            Assert.Single(skipped);
        }

        [Fact]
        public void What_the_command_deleted_is_removed_here_unless_changed_here()
        {
            var src = Case;
            Directory.CreateDirectory(Path.Combine(src, "processor0", "0"));
            File.WriteAllText(Path.Combine(src, "processor0", "0", "U"), "u");
            Directory.CreateDirectory(Path.Combine(src, "keepdir"));
            File.WriteAllText(Path.Combine(src, "gone.txt"), "old");
            File.WriteAllText(Path.Combine(src, "edited.txt"), "old");
            File.WriteAllText(Path.Combine(src, "log.icoFoam"), "live");
            File.WriteAllText(Path.Combine(src, "stays.txt"), "s");
            var sent = CaseArchive.Pack(src, new MemoryStream(), "project", 0, 0, _ => { });
            // Changed here while the run ran: kept although the command deleted it.
            File.WriteAllText(Path.Combine(src, "edited.txt"), "changed here");
            // New here inside a directory the command deleted: the directory stays with it.
            File.WriteAllText(Path.Combine(src, "keepdir", "new-here"), "n");

            // The container kept only stays.txt (the command deleted the rest).
            var result = Extract(Tar(D("project/"), F("project/stays.txt", "s")), sent, new HashSet<string> { "log.icoFoam" });
            var removed = new List<string>();
            TarExtractor.RemoveDeleted(Case, sent, result, new HashSet<string> { "log.icoFoam" }, removed.Add);

            Assert.False(Directory.Exists(Path.Combine(src, "processor0")));
            Assert.False(File.Exists(Path.Combine(src, "gone.txt")));
            Assert.Equal("changed here", File.ReadAllText(Path.Combine(src, "edited.txt")));
            Assert.True(File.Exists(Path.Combine(src, "keepdir", "new-here")));
            Assert.Equal("live", File.ReadAllText(Path.Combine(src, "log.icoFoam")));
            Assert.Equal(new[] { "gone.txt", "processor0", "processor0/0", "processor0/0/U" }, removed.OrderBy(r => r, StringComparer.Ordinal));
            Assert.Equal(4, result.Deleted);
        }

        [Fact]
        public void An_empty_archive_deletes_nothing()
        {
            File.WriteAllText(Path.Combine(Case, "a.txt"), "a");
            var sent = CaseArchive.Pack(Case, new MemoryStream(), "project", 0, 0, _ => { });
            var result = Extract(Tar());
            TarExtractor.RemoveDeleted(Case, sent, result, null, _ => { });
            Assert.True(File.Exists(Path.Combine(Case, "a.txt")));
            Assert.Equal(0, result.Deleted);
        }

        [Fact]
        public void Nothing_is_removed_through_a_link()
        {
            Directory.CreateDirectory(Path.Combine(Case, "d"));
            File.WriteAllText(Path.Combine(Case, "d", "f"), "f");
            var sent = CaseArchive.Pack(Case, new MemoryStream(), "project", 0, 0, _ => { });
            // Meanwhile "d" became a link to a directory outside that has an "f" just like it (size and time).
            File.WriteAllText(Path.Combine(Outside, "f"), "f");
            File.SetLastWriteTimeUtc(Path.Combine(Outside, "f"), File.GetLastWriteTimeUtc(Path.Combine(Case, "d", "f")));
            Directory.Delete(Path.Combine(Case, "d"), true);
            Directory.CreateSymbolicLink(Path.Combine(Case, "d"), Outside);
            var result = Extract(Tar(D("project/"), F("project/other")));
            var removed = new List<string>();
            TarExtractor.RemoveDeleted(Case, sent, result, null, removed.Add);
            Assert.True(File.Exists(Path.Combine(Outside, "f")));
            Assert.DoesNotContain("d/f", removed);
        }

        [Fact]
        public void Hard_links_to_anything_else_and_devices_are_refused()
        {
            var result = Extract(Tar(F("project/a"), ("project/b", TarHeader.LF_LINK, "", "etc/passwd"), ("project/fifo", TarHeader.LF_FIFO, "", "")));
            Assert.Contains(result.Refused, r => r.StartsWith("project/b: a hard link"));
            Assert.False(File.Exists(Path.Combine(Case, "b")));
            // The tar reader drops FIFO entries itself; either way nothing is made of them.
            Assert.False(File.Exists(Path.Combine(Case, "fifo")));
            Assert.Equal(1, result.Written);
        }

        [Fact]
        public void A_file_never_replaces_a_directory()
        {
            Directory.CreateDirectory(Path.Combine(Case, "0.1"));
            File.WriteAllText(Path.Combine(Case, "0.1", "U"), "u");
            var result = Extract(Tar(F("project/0.1", "flat")));
            Assert.Single(result.Refused);
            Assert.Equal("u", File.ReadAllText(Path.Combine(Case, "0.1", "U")));
        }

        [Theory]
        [InlineData("", "a/b", null)]
        [InlineData("sub", "../x", null)]
        [InlineData("", "../x", "outside")]
        [InlineData("sub", "../../x", "outside")]
        [InlineData("sub", "a/../../x", "climbs")]
        [InlineData("", "/etc", "absolute")]
        [InlineData("", "./a/./b", null)]
        public void Link_targets(string directory, string target, string? why)
        {
            var result = TarExtractor.LinkEscapes(directory, target);
            if (why == null) Assert.Null(result);
            else Assert.Contains(why, result);
        }

        [Fact]
        public void Owner_of_a_run_user()
        {
            Assert.Equal((1000, 100, false), FoamPS.Runner.FoamRunner.Owner("1000:100"));
            Assert.Equal((1000, 1000, false), FoamPS.Runner.FoamRunner.Owner("1000"));
            Assert.True(FoamPS.Runner.FoamRunner.Owner("openfoam").ByName);
            Assert.True(FoamPS.Runner.FoamRunner.Owner("").ByName);
        }
    }
}
