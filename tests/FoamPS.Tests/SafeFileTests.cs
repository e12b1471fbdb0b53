using System;
using System.IO;
using System.Linq;
using FoamPS.Runner;
using Xunit;

namespace FoamPS.Tests
{
    /// <summary>Files FoamPS writes into a case replace links, never write through them (real files, real links).</summary>
    public sealed class SafeFileTests : IDisposable
    {
        private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "foamps-safe-" + Guid.NewGuid().ToString("N"))).FullName;

        public void Dispose() => Directory.Delete(_dir, true);

        private string Outside(string content)
        {
            var path = Path.Combine(_dir, "outside.txt");
            File.WriteAllText(path, content);
            return path;
        }

        [Fact]
        public void ReplaceTakesALinksPlaceAndLeavesItsTargetAlone()
        {
            var target = Outside("precious");
            var log = Path.Combine(_dir, "log.icoFoam");
            File.CreateSymbolicLink(log, target);
            using (var stream = SafeFile.Replace(log, null)) stream.Write(new byte[] { (byte)'h', (byte)'i' }, 0, 2);
            Assert.Equal("precious", File.ReadAllText(target));
            Assert.Null(new FileInfo(log).LinkTarget);
            Assert.Equal("hi", File.ReadAllText(log));
            Assert.Equal(new[] { "log.icoFoam", "outside.txt" }, Directory.GetFiles(_dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void ADanglingLinksTargetIsNeverCreated()
        {
            var missing = Path.Combine(_dir, "nobody.txt");
            var log = Path.Combine(_dir, "log.icoFoam");
            File.CreateSymbolicLink(log, missing);
            SafeFile.EnsureCanReplace(log);
            Assert.False(File.Exists(missing));
            SafeFile.WriteAllText(log, "text", null);
            Assert.False(File.Exists(missing));
            Assert.Equal("text", File.ReadAllText(log));
        }

        [Fact]
        public void ADirectoryCannotBeReplaced()
        {
            var dir = Directory.CreateDirectory(Path.Combine(_dir, "log.icoFoam")).FullName;
            Assert.Throws<IOException>(() => SafeFile.EnsureCanReplace(dir));
            Assert.True(Directory.Exists(dir));
        }

        [Fact]
        public void ALinkedDecomposeParDictGetsTheCaseItsOwnCopy()
        {
            var system = Directory.CreateDirectory(Path.Combine(_dir, "case", "system")).FullName;
            var shared = Outside("FoamFile\n{\n}\nnumberOfSubdomains 4;\nmethod scotch;\n");
            var dict = Path.Combine(system, "decomposeParDict");
            File.CreateSymbolicLink(dict, shared);
            var said = ParallelRun.EnsureDecomposeParDict(Path.Combine(_dir, "case"), 2);
            Assert.Contains("from 4 to 2", said);
            Assert.Contains("it was a link", said);
            Assert.Contains("numberOfSubdomains 4;", File.ReadAllText(shared));
            Assert.Null(new FileInfo(dict).LinkTarget);
            Assert.Contains("numberOfSubdomains 2;", File.ReadAllText(dict));
            Assert.Contains("method scotch;", File.ReadAllText(dict));
        }
    }
}
