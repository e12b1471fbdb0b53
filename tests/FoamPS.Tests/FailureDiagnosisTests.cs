using FoamPS.Foam;
using FoamPS.Runner;
using Xunit;

namespace FoamPS.Tests
{
    public class FailureDiagnosisTests
    {
        [Theory]
        [InlineData("foamps: line 6: blockMeshh: command not found", "blockMeshh", "'blockMesh'")]
        [InlineData("bash: icoFaom: command not found", "icoFaom", "'icoFoam'")]
        [InlineData("/bin/bash: line 1: ./Allrn: No such file or directory", "./Allrn", "'./Allrun'")]
        [InlineData("something else entirely", null, null)]
        [InlineData("foamps: line 6: frobnicate: command not found", "frobnicate", null)]
        public void AMissingCommandIsNamedWithoutTheWrapper(string line, string? name, string? suggestion)
        {
            var diagnosis = FailureDiagnosis.Diagnose(new[] { "", line }, 127, false);
            var summary = diagnosis.Summary;
            Assert.DoesNotContain("foamps: line", summary);
            Assert.Equal(name != null, diagnosis.CommandNotFound);
            if (name == null) { Assert.StartsWith("Command not found in the image", summary); return; }
            Assert.StartsWith($"'{name}' is not a command in the image", summary);
            if (suggestion == null) Assert.DoesNotContain("Did you mean", summary);
            else Assert.EndsWith($"Did you mean {suggestion}?", summary);
        }

        [Theory]
        [InlineData("cannot find file \"/home/openfoam/project/system/controlDict\"", "/cases/cavity", "cannot find file \"/cases/cavity/system/controlDict\"")]
        [InlineData("in /home/openfoam/project.", "/cases/cavity/", "in /cases/cavity.")]
        [InlineData("/home/openfoam/projectX/file", "/cases/cavity", "/home/openfoam/projectX/file")]
        [InlineData("/home/openfoam/project-old/x and /home/openfoam/project.old", "/c", "/home/openfoam/project-old/x and /home/openfoam/project.old")]
        [InlineData("(/home/openfoam/project)", "/c", "(/c)")]
        [InlineData("file: /home/openfoam/project/system/fvSchemes at line 3", "C:\\cases\\cavity", "file: C:\\cases\\cavity\\system\\fvSchemes at line 3")]
        public void ContainerPathsBecomeTheCasePath(string text, string casePath, string expected) =>
            Assert.Equal(expected, FoamRunner.HostPaths(text, casePath));

        [Theory]
        [InlineData("it printed nothing.", "it printed nothing.")]
        [InlineData("Did you mean 'x'?", "Did you mean 'x'?")]
        [InlineData("foamps: line 6: x: command not found", "foamps: line 6: x: command not found.")]
        public void MessagesEndSentences(string text, string expected) => Assert.Equal(expected, FoamRunner.EndSentence(text));

        [Fact]
        public void SuggestionsAreCloseNamesOnlyNearestFirst()
        {
            var local = new[] { "foamps-test/openfoam:debian", "foamps-test/openfoam:opencfd", "ubuntu:24.04" };
            Assert.Equal(new[] { "foamps-test/openfoam:debian" }, Suggestions.Similar("foamps-test/openfaom:debian", local));
            Assert.Empty(Suggestions.Similar("opencfd/openfoam-default:latest", local));
            Assert.Empty(Suggestions.Similar("ubuntu:24.04", local));
            Assert.Equal(" Did you mean 'icoFoam'?", Suggestions.DidYouMean("icofoam", OpenFoamApplications.Common));
        }

        [Fact]
        public void FatalIoErrorNamesTheFileRelativeToTheCase()
        {
            var lines = new[]
            {
                "Time = 0.005", "", "--> FOAM FATAL IO ERROR: ", "Unknown convection type Gausss", "", "Valid convection types :", "2(Gauss bounded)", "", "",
                "file: /home/openfoam/project/system/fvSchemes.divSchemes.div(phi,U) at line 32.", "",
                "    From function static Foam::tmp<...> Foam::fv::convectionScheme<Type>::New(...)", "", "FOAM exiting", "",
            };
            var d = FailureDiagnosis.Diagnose(lines, 1, false);
            Assert.Equal("FOAM FATAL IO ERROR in system/fvSchemes at line 32: Unknown convection type Gausss", d.Summary);
            Assert.StartsWith("--> FOAM FATAL IO ERROR", d.FatalError);
        }

        [Fact]
        public void FloatingPointExceptionSaysDivergedAndWhen()
        {
            var lines = new[] { "Time = 1.4", "Courant Number mean: 5 max: 40", "#0  Foam::error::printStack(Foam::Ostream&)", "#1  Foam::sigFpe::sigHandler(int)", "Floating point exception" };
            var d = FailureDiagnosis.Diagnose(lines, 136, false);
            Assert.StartsWith("Floating point exception (SIGFPE) at Time = 1.4: the solution diverged", d.Summary);
            Assert.Null(d.FatalError);
        }

        [Fact]
        public void OutOfMemoryAndKillAndMpi()
        {
            Assert.StartsWith("Killed for running out of memory", FailureDiagnosis.Diagnose(new[] { "Time = 2" }, 137, true).Summary);
            Assert.Equal("Killed (SIGKILL) at Time = 2.", FailureDiagnosis.Diagnose(new[] { "Time = 2" }, 137, false).Summary);
            var mpi = FailureDiagnosis.Diagnose(new[] { "MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD" }, 1, false);
            Assert.StartsWith("The MPI run aborted: MPI_ABORT was invoked on rank 1", mpi.Summary);
        }

        [Theory]
        [InlineData("512MB", 512L << 20)]
        [InlineData("2GB", 2L << 30)]
        [InlineData("1.5g", 3L << 29)]
        [InlineData("64MiB", 64L << 20)]
        [InlineData("1073741824", 1L << 30)]
        public void MemorySizes(string text, long bytes) => Assert.Equal(bytes, RunSpec.ParseMemory(text));

        [Theory]
        [InlineData("lots")]
        [InlineData("1MB")]
        [InlineData("-2GB")]
        public void BadMemorySizes(string text) =>
            Assert.Equal(ErrorIds.InvalidMemory, Assert.Throws<FoamArgumentException>(() => RunSpec.ParseMemory(text)).ErrorId);
    }
}
