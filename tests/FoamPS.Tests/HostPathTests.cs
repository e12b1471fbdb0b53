using FoamPS.Runner;
using Xunit;

namespace FoamPS.Tests
{
    /// <summary>Windows case paths as each kind of engine must get them (CI is Linux: the translation is tested here).</summary>
    public class HostPathTests
    {
        [Theory]
        [InlineData(@"C:\cases\cavity", EngineFlavor.DockerDesktop, "/run/desktop/mnt/host/c/cases/cavity")]
        [InlineData(@"D:\CFD\My Case\", EngineFlavor.DockerDesktop, "/run/desktop/mnt/host/d/CFD/My Case")]
        [InlineData(@"c:/cases/cavity", EngineFlavor.DockerDesktop, "/run/desktop/mnt/host/c/cases/cavity")]
        [InlineData(@"\\?\C:\very\long\path", EngineFlavor.DockerDesktop, "/run/desktop/mnt/host/c/very/long/path")]
        [InlineData(@"E:\", EngineFlavor.DockerDesktop, "/run/desktop/mnt/host/e")]
        [InlineData(@"E:", EngineFlavor.DockerDesktop, "/run/desktop/mnt/host/e")]
        [InlineData(@"C:\cases\cavity", EngineFlavor.Wsl, "/mnt/c/cases/cavity")]
        [InlineData(@"\\wsl$\Ubuntu\home\me\cavity", EngineFlavor.Wsl, "/home/me/cavity")]
        [InlineData(@"\\wsl.localhost\Debian\srv\cases\pitzDaily", EngineFlavor.Wsl, "/srv/cases/pitzDaily")]
        [InlineData(@"c:\cases\cavity", EngineFlavor.WindowsContainers, @"C:\cases\cavity")]
        public void Windows_paths_in_the_engines_form(string path, EngineFlavor flavor, string expected)
        {
            Assert.Equal(expected, HostPath.ForEngine(path, flavor, hostIsWindows: true));
        }

        [Theory]
        [InlineData(@"\\fileserver\cfd\cavity", EngineFlavor.DockerDesktop)]
        [InlineData(@"\\fileserver\cfd\cavity", EngineFlavor.Wsl)]
        [InlineData(@"\\?\UNC\fileserver\cfd\cavity", EngineFlavor.DockerDesktop)]
        [InlineData(@"\\wsl$\Ubuntu\home\me\cavity", EngineFlavor.DockerDesktop)]
        public void Unc_shares_cannot_be_mounted(string path, EngineFlavor flavor)
        {
            Assert.True(HostPath.IsUnc(path));
            Assert.Null(HostPath.ForEngine(path, flavor, hostIsWindows: true));
        }

        [Fact]
        public void Drive_paths_are_not_unc()
        {
            Assert.False(HostPath.IsUnc(@"C:\cases\cavity"));
            Assert.False(HostPath.IsUnc(@"\\?\C:\cases\cavity"));
            Assert.False(HostPath.IsUnc("/home/me/cavity"));
        }

        [Fact]
        public void Linux_and_macos_paths_are_used_as_they_are()
        {
            Assert.Equal("/home/me/cavity", HostPath.ForEngine("/home/me/cavity", EngineFlavor.Native, hostIsWindows: false));
            Assert.Equal("/Users/me/My Case", HostPath.ForEngine("/Users/me/My Case", EngineFlavor.DockerDesktop, hostIsWindows: false));
        }

        [Theory]
        [InlineData(true, "Docker Desktop", "linux", EngineFlavor.DockerDesktop)]
        [InlineData(true, "Ubuntu 24.04 LTS", "linux", EngineFlavor.Wsl)]
        [InlineData(true, "Microsoft Windows Server Version 2022", "windows", EngineFlavor.WindowsContainers)]
        [InlineData(false, "Docker Desktop", "linux", EngineFlavor.Native)]
        [InlineData(false, "Debian GNU/Linux 12 (bookworm)", "linux", EngineFlavor.Native)]
        public void Flavor_from_the_engines_info(bool windows, string os, string osType, EngineFlavor expected)
        {
            Assert.Equal(expected, HostPath.FlavorOf(windows, os, osType));
        }
    }
}
