using System;
using System.Collections.Generic;
using Docker.DotNet.Models;

namespace FoamPS.Engine
{
    /// <summary>
    /// Resource arithmetic exactly as the docker CLI's `docker stats` does it, for cgroup v1
    /// and v2 engines.
    /// </summary>
    public static class StatsMath
    {
        /// <summary>
        /// CPU % between two samples: Δ container usage / Δ system usage × online CPUs × 100;
        /// 0 when either delta is not positive.
        /// </summary>
        public static double CpuPercent(CPUStats? current, CPUStats? previous)
        {
            // An empty previous sample (one-shot stats) would give the average since boot: say 0 instead.
            if (current?.CPUUsage == null || previous?.CPUUsage == null || (previous.SystemUsage ?? 0) == 0) return 0;
            var cpuDelta = (double)current.CPUUsage.TotalUsage - previous.CPUUsage.TotalUsage;
            var systemDelta = (double)(current.SystemUsage ?? 0) - (previous.SystemUsage ?? 0);
            var cpus = OnlineCpus(current);
            if (cpuDelta <= 0 || systemDelta <= 0 || cpus == 0) return 0;
            return cpuDelta / systemDelta * cpus * 100.0;
        }

        /// <summary>online_cpus, else the length of percpu_usage (older engines).</summary>
        public static int OnlineCpus(CPUStats? cpu)
        {
            if (cpu == null) return 0;
            if (cpu.OnlineCPUs is uint n && n > 0) return (int)n;
            return cpu.CPUUsage?.PercpuUsage?.Count ?? 0;
        }

        /// <summary>
        /// Usage without the inactive page cache: total_inactive_file (cgroup v1), else
        /// inactive_file (cgroup v2), each only when smaller than the usage.
        /// </summary>
        public static long MemoryUsed(MemoryStats? memory)
        {
            if (memory?.Usage is not ulong usage) return 0;
            var stats = memory.Stats ?? new Dictionary<string, ulong>();
            if (stats.TryGetValue("total_inactive_file", out var v1) && v1 < usage) return (long)(usage - v1);
            if (stats.TryGetValue("inactive_file", out var v2) && v2 < usage) return (long)(usage - v2);
            return (long)usage;
        }

        public static double MemoryPercent(long used, long limit) => limit > 0 ? used * 100.0 / limit : 0;

        /// <summary>Bytes read and written, summed over devices (the CLI's Block I/O).</summary>
        public static (long Read, long Write) BlockIo(BlkioStats? blkio)
        {
            long read = 0, write = 0;
            if (blkio?.IoServiceBytesRecursive == null) return (0, 0);
            foreach (var entry in blkio.IoServiceBytesRecursive)
            {
                if (string.IsNullOrEmpty(entry.Op)) continue;
                switch (char.ToLowerInvariant(entry.Op[0]))
                {
                    case 'r': read += (long)entry.Value; break;
                    case 'w': write += (long)entry.Value; break;
                }
            }
            return (read, write);
        }

        /// <summary>Bytes received and sent, summed over interfaces.</summary>
        public static (long Rx, long Tx) Network(IDictionary<string, NetworkStats>? networks)
        {
            long rx = 0, tx = 0;
            if (networks == null) return (0, 0);
            foreach (var n in networks.Values) { rx += (long)n.RxBytes; tx += (long)n.TxBytes; }
            return (rx, tx);
        }

        /// <summary>
        /// A sample from an engine response, CPU measured against <paramref name="previous"/>
        /// (else against the response's own precpu_stats).
        /// </summary>
        public static FoamContainerStats ToSample(ContainerStatsResponse current, CPUStats? previous = null)
        {
            var used = MemoryUsed(current.MemoryStats);
            var limit = (long)(current.MemoryStats?.Limit ?? 0);
            var (read, write) = BlockIo(current.BlkioStats);
            var (rx, tx) = Network(current.Networks);
            return new FoamContainerStats
            {
                Timestamp = current.Read == default ? DateTime.Now : current.Read.ToLocalTime(),
                ContainerId = current.ID ?? "",
                Name = (current.Name ?? "").TrimStart('/'),
                CpuPercent = Math.Round(CpuPercent(current.CPUStats, previous ?? current.PreCPUStats), 2),
                OnlineCpus = OnlineCpus(current.CPUStats),
                MemoryUsageBytes = used,
                MemoryLimitBytes = limit,
                MemoryPercent = Math.Round(MemoryPercent(used, limit), 2),
                NetworkRxBytes = rx,
                NetworkTxBytes = tx,
                BlockReadBytes = read,
                BlockWriteBytes = write,
                Pids = (long)(current.PidsStats?.Current ?? 0),
            };
        }
    }
}
