using System.IO;
using System.Text.Json;
using Docker.DotNet.Models;
using FoamPS.Engine;
using Xunit;

namespace FoamPS.Tests
{
    /// <summary>
    /// The docker CLI's stats arithmetic on engine JSON: a sample recorded on this project's
    /// cgroup v1 engine, and a cgroup v2 sample in the engine's v2 format (this machine has no
    /// cgroup v2 engine to record one). Expected values are worked out by hand in each test.
    /// </summary>
    public class StatsMathTests
    {
        private static ContainerStatsResponse Load(string name)
        {
            var path = Path.Combine(Fixtures.Directory, "stats", name);
            return JsonSerializer.Deserialize<ContainerStatsResponse>(File.ReadAllText(path))!;
        }

        [Fact]
        public void CgroupV1_BusyLoopUsesOneCpu_MemoryWithoutInactiveFileCache()
        {
            var s = StatsMath.ToSample(Load("cgroup-v1-busy-loop.json"));
            // (3069639221 - 2065976694) / (6776620000000 - 6774620000000) * 2 * 100
            Assert.Equal(100.37, s.CpuPercent, 2);
            Assert.Equal(2, s.OnlineCpus);
            // usage 806912 - total_inactive_file 16384
            Assert.Equal(790528, s.MemoryUsageBytes);
            Assert.Equal(25276203008, s.MemoryLimitBytes);
            // 790528 / 25276203008 * 100 = 0.0031 %, rounded to 2 places
            Assert.Equal(0.0, s.MemoryPercent, 2);
            Assert.Equal(1, s.Pids);
            Assert.Equal(0, s.BlockReadBytes);
            Assert.Equal(736, s.NetworkRxBytes);
        }

        [Fact]
        public void CgroupV2_ThreeOfFourCpus_InactiveFileSubtracted_DevicesAndInterfacesSummed()
        {
            var s = StatsMath.ToSample(Load("cgroup-v2-three-cpus.json"));
            // (3003000000 - 3000000) / (44000000000 - 40000000000) * 4 * 100 = 300
            Assert.Equal(300.0, s.CpuPercent, 2);
            Assert.Equal(4, s.OnlineCpus);
            // usage 104857600 - inactive_file 20971520 = 80 MiB; of 2 GiB = 3.90625 %
            Assert.Equal(83886080, s.MemoryUsageBytes);
            Assert.Equal(2147483648, s.MemoryLimitBytes);
            Assert.Equal(3.91, s.MemoryPercent, 2);
            Assert.Equal(4096 + 8192, s.BlockReadBytes);
            Assert.Equal(1048576, s.BlockWriteBytes);
            Assert.Equal(1500 + 500, s.NetworkRxBytes);
            Assert.Equal(700 + 300, s.NetworkTxBytes);
            Assert.Equal(7, s.Pids);
            Assert.Equal("foamps-cavity-simpleFoam-0a1b2c3d", s.Name);
        }

        [Fact]
        public void CpuAgainstAnEarlierSampleOfOurOwn()
        {
            var later = Load("cgroup-v2-three-cpus.json");
            var earlier = Load("cgroup-v2-three-cpus.json").CPUStats;
            earlier.CPUUsage.TotalUsage = 2003000000;       // one CPU-second less
            earlier.SystemUsage = 42000000000;              // half a second of 4 CPUs less
            // (3003000000 - 2003000000) / (44000000000 - 42000000000) * 4 * 100 = 200
            Assert.Equal(200.0, StatsMath.ToSample(later, earlier).CpuPercent, 2);
        }

        [Fact]
        public void NoPreviousSampleMeansNoCpuFigureRatherThanANonsenseOne()
        {
            var oneShot = Load("cgroup-v2-three-cpus.json");
            oneShot.PreCPUStats = new CPUStats { CPUUsage = new CPUUsage() };
            Assert.Equal(0.0, StatsMath.CpuPercent(oneShot.CPUStats, oneShot.PreCPUStats));
        }

        [Fact]
        public void MemoryFallsBackToUsageWhenNoCacheFigureApplies()
        {
            var memory = new MemoryStats { Usage = 1000, Stats = new System.Collections.Generic.Dictionary<string, ulong> { ["inactive_file"] = 5000 } };
            Assert.Equal(1000, StatsMath.MemoryUsed(memory));
            Assert.Equal(0, StatsMath.MemoryUsed(new MemoryStats()));
        }

        [Fact]
        public void OnlineCpusFallsBackToThePerCpuList()
        {
            var cpu = new CPUStats { CPUUsage = new CPUUsage { PercpuUsage = new ulong[] { 1, 2, 3 } } };
            Assert.Equal(3, StatsMath.OnlineCpus(cpu));
        }
    }

    internal static class Fixtures
    {
        /// <summary>tests/fixtures, found from the test assembly's folder upwards.</summary>
        public static string Directory
        {
            get
            {
                var dir = new DirectoryInfo(System.AppContext.BaseDirectory);
                while (dir != null && !System.IO.Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures"))) dir = dir.Parent;
                return Path.Combine(dir?.FullName ?? ".", "tests", "fixtures");
            }
        }
    }
}
