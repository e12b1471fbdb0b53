using System.Collections.Generic;
using System.Linq;
using System.Text;
using FoamPS;
using FoamPS.Engine;
using FoamPS.Foam;
using FoamPS.Runner;
using Xunit;

namespace FoamPS.Tests
{
    public class ImageReferenceTests
    {
        [Theory]
        [InlineData("opencfd/openfoam-default:2406")]
        [InlineData("opencfd/openfoam-default")]
        [InlineData("openfoam/openfoam11-paraview510")]
        [InlineData("ubuntu")]
        [InlineData("127.0.0.1:5000/foamps-test/openfoam:debian")]
        [InlineData("registry.example.com/a/b/c:v1.2_3")]
        [InlineData("Registry.Example.com/a:v1")]
        [InlineData("foamps-test/openfoam@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
        public void AcceptsWellFormedReferences(string reference) => Assert.True(ImageReference.IsValid(reference));

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("Not/Valid")]
        [InlineData("no spaces:allowed here")]
        [InlineData("trailing/")]
        [InlineData("a//b")]
        [InlineData("name:")]
        [InlineData("name:-badtag")]
        [InlineData("name@sha256:xyz")]
        [InlineData("-leadingdash")]
        [InlineData("ubuntu\n")]
        [InlineData("foam:t\u00e9st")]
        [InlineData("ubuntu:\u0661\u0662")]
        [InlineData("Foamps-test/openfoam:debian")]
        [InlineData("OpenCFD/openfoam-default")]
        public void RejectsMalformedReferences(string reference)
        {
            Assert.False(ImageReference.IsValid(reference));
            var e = Assert.Throws<FoamArgumentException>(() => ImageReference.Validate(reference));
            Assert.Equal(ErrorIds.InvalidImageReference, e.ErrorId);
        }
    }

    public class DockerEndpointTests
    {
        [Theory]
        [InlineData("unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]
        [InlineData("tcp://bigbox:2376", "tcp://bigbox:2376/")]
        [InlineData("bigbox:2376", "tcp://bigbox:2376/")]
        [InlineData("tcp://bigbox", "tcp://bigbox:2375/")]
        [InlineData("npipe://./pipe/docker_engine", "npipe://./pipe/docker_engine")]
        [InlineData("npipe:////./pipe/docker_engine", "npipe://./pipe/docker_engine")]
        public void ParsesLikeTheDockerCli(string host, string expectedUri)
        {
            Assert.Equal(expectedUri, DockerEndpoint.Parse(host).Uri.ToString());
        }

        [Theory]
        [InlineData("ssh://user@bigbox")]
        [InlineData("ftp://bigbox")]
        [InlineData("unix://")]
        [InlineData("npipe:////./nopipe")]
        public void RejectsUnusableEndpoints(string host)
        {
            var e = Assert.Throws<FoamArgumentException>(() => DockerEndpoint.Parse(host));
            Assert.Equal(ErrorIds.InvalidDockerHost, e.ErrorId);
        }

        [Fact]
        public void LocalnessFollowsTheScheme()
        {
            Assert.True(DockerEndpoint.Parse("unix:///var/run/docker.sock").IsLocal);
            Assert.True(DockerEndpoint.Parse("tcp://127.0.0.1:2375").IsLocal);
            Assert.False(DockerEndpoint.Parse("tcp://bigbox:2376").IsLocal);
        }
    }

    public class CommandLineTests
    {
        [Theory]
        [InlineData("blockMesh", "blockMesh")]
        [InlineData("blockMesh -dict system/blockMeshDict", "blockMesh")]
        [InlineData("./Allrun", "Allrun")]
        [InlineData("  icoFoam  ", "icoFoam")]
        [InlineData("mpirun -np 4 simpleFoam -parallel", "simpleFoam")]
        [InlineData("FOO=1 BAR=2 checkMesh -allTopology", "checkMesh")]
        [InlineData("/usr/bin/decomposePar -force", "decomposePar")]
        [InlineData("sh -c 'echo hi'", "sh")]
        public void FindsTheApplication(string command, string expected) =>
            Assert.Equal(expected, CommandLine.Application(command));

        [Fact]
        public void QuotedArgumentsSurviveTheShell()
        {
            var args = new[] { "it's", "$(touch /tmp/pwned)", "a b", "`id`", "ünïcödé", "", "\"q\"", "x;y|z&" };
            var line = ShellQuote.Join("printf '%s\\n'", args);
            var psi = new System.Diagnostics.ProcessStartInfo("/bin/sh", new[] { "-c", line })
            { RedirectStandardOutput = true, StandardOutputEncoding = Encoding.UTF8 };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            Assert.Equal(args, output.Split('\n').SkipLast(1).ToArray());
        }
    }

    public class RunSpecTests
    {
        [Theory]
        [InlineData("1000")]
        [InlineData("1000:1000")]
        [InlineData("openfoam")]
        [InlineData("openfoam:users")]
        [InlineData("0:0")]
        public void AcceptsUsers(string user) => RunSpec.ValidateUser(user);

        [Theory]
        [InlineData("")]
        [InlineData("1000:")]
        [InlineData(":1000")]
        [InlineData("1:2:3")]
        [InlineData("-5")]
        [InlineData("root; rm -rf /")]
        [InlineData("Upper")]
        public void RejectsMalformedUsers(string user)
        {
            var e = Assert.Throws<FoamArgumentException>(() => RunSpec.ValidateUser(user));
            Assert.Equal(ErrorIds.InvalidUser, e.ErrorId);
        }

        [Fact]
        public void DefaultLogIsNamedAfterTheApplication()
        {
            var spec = new RunSpec { CasePath = "/cases/cavity", Command = "mpirun -np 2 icoFoam -parallel" };
            Assert.Equal("/cases/cavity/log.icoFoam", spec.EffectiveLogPath);
            spec.NoLog = true;
            Assert.Null(spec.EffectiveLogPath);
        }
    }
}
