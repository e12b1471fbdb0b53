using System.Collections.Generic;
using System.Linq;
using System.Text;
using FoamPS.Foam;
using FoamPS.Runner;
using Xunit;

namespace FoamPS.Tests
{
    public class LineSplitterTests
    {
        private static List<string> Split(params byte[][] chunks)
        {
            var lines = new List<string>();
            var splitter = new LineSplitter(lines.Add);
            foreach (var c in chunks) splitter.Write(c, 0, c.Length);
            splitter.Flush();
            return lines;
        }

        [Fact]
        public void KeepsAMultiByteCharacterSplitAcrossChunks()
        {
            var bytes = Encoding.UTF8.GetBytes("Temps = 1 °C ✓\n");
            var cut = System.Array.IndexOf(bytes, (byte)0xE2) + 1; // inside the 3-byte check mark
            var lines = Split(bytes.Take(cut).ToArray(), bytes.Skip(cut).ToArray());
            Assert.Equal(new[] { "Temps = 1 °C ✓" }, lines);
        }

        [Fact]
        public void EndsLinesOnLfCrLfAndCr()
        {
            var lines = Split(Encoding.UTF8.GetBytes("a\r\nb\nc\rd"));
            Assert.Equal(new[] { "a", "b", "c", "d" }, lines);
        }

        [Fact]
        public void CutsAVeryLongLineIntoBoundedPieces()
        {
            var lines = Split(Encoding.ASCII.GetBytes(new string('x', LineSplitter.MaxLineChars * 2 + 10)));
            Assert.Equal(3, lines.Count);
            Assert.All(lines, l => Assert.True(l.Length <= LineSplitter.MaxLineChars));
            Assert.Equal(LineSplitter.MaxLineChars * 2 + 10, lines.Sum(l => l.Length));
        }
    }

    public class LogTailTests
    {
        [Fact]
        public void KeepsOnlyTheLastBytesAndDropsTheCutLine()
        {
            var tail = new LogTail(capacity: 64);
            for (var i = 0; i < 100; i++)
            {
                var b = Encoding.ASCII.GetBytes($"line {i}\n");
                tail.Append(b, 0, b.Length);
            }
            var lines = tail.LastLines(100);
            Assert.Equal("line 99", lines.Last());
            Assert.All(lines, l => Assert.StartsWith("line ", l));
            Assert.True(lines.Count < 10);
            Assert.Equal(10 * 7 + 90 * 8, tail.Written); // "line i\n": 7 bytes for i < 10, 8 after
        }

        [Fact]
        public void AChunkLargerThanTheRingKeepsItsEnd()
        {
            var tail = new LogTail(capacity: 16);
            var b = Encoding.ASCII.GetBytes("0123456789abcdefghijXYZ\n");
            tail.Append(b, 0, b.Length);
            Assert.Equal(b.Length, tail.Written);
            Assert.Equal("89abcdefghijXYZ\n", Encoding.ASCII.GetString(tail.Snapshot()));
        }

        [Fact]
        public void LatestLineSkipsBlankLines()
        {
            var tail = new LogTail();
            var b = Encoding.ASCII.GetBytes("Time = 0.1\nCourant Number mean: 0.1 max: 0.5\n\n\n");
            tail.Append(b, 0, b.Length);
            Assert.Equal("Courant Number mean: 0.1 max: 0.5", tail.LatestLine());
        }
    }

    public class FatalErrorTests
    {
        [Fact]
        public void FindsTheLastFatalErrorBlock()
        {
            var lines = new[]
            {
                "Create mesh for time = 0", "", "",
                "--> FOAM FATAL ERROR: ", "Cannot find file \"points\" in directory \"polyMesh\" in times \"0\" down to constant", "",
                "    From Foam::Time::findInstance(...)", "    in file db/Time/findInstance.C at line 258.", "",
                "FOAM exiting", "",
            };
            var block = FatalError.Find(lines)!;
            Assert.StartsWith("--> FOAM FATAL ERROR:", block);
            Assert.Contains("Cannot find file \"points\"", block);
            Assert.EndsWith("FOAM exiting", block);
        }

        [Fact]
        public void NoBlockWithoutAFatalError() => Assert.Null(FatalError.Find(new[] { "End", "" }));
    }

    public class FoamEnvironmentTests
    {
        [Fact]
        public void ReadsTheProbe()
        {
            Assert.Equal("/opt/openfoam11/etc/bashrc", FoamEnvironment.ParseProbe("bashrc=/opt/openfoam11/etc/bashrc\n").BashRc);
            Assert.Equal("/x/bashrc", FoamEnvironment.ParseProbe("missing=/x/bashrc\n").Missing);
            Assert.True(FoamEnvironment.ParseProbe("nobash\n").NoBash);
            var none = FoamEnvironment.ParseProbe("none\n");
            Assert.Null(none.BashRc);
            Assert.Null(none.Missing);
        }

        [Fact]
        public void TheProbeScriptPrefersOpenCfdThenFoundationThenDebian()
        {
            var script = FoamEnvironment.ProbeScript();
            var cfd = script.IndexOf("/usr/lib/openfoam/openfoam*/etc/bashrc", System.StringComparison.Ordinal);
            var org = script.IndexOf("/opt/openfoam*/etc/bashrc", System.StringComparison.Ordinal);
            var deb = script.IndexOf("/usr/share/openfoam/etc/bashrc", System.StringComparison.Ordinal);
            Assert.True(cfd >= 0 && cfd < org && org < deb);
        }
    }
}
