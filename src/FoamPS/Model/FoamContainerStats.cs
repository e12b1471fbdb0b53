using System;

namespace FoamPS
{
    /// <summary>
    /// One resource sample of a container (FoamPS.FoamContainerStats). Flat numbers, so that
    /// Export-Csv and Measure-Object work on them; the table view shows human units.
    /// </summary>
    public sealed class FoamContainerStats
    {
        public DateTime Timestamp { get; set; }
        public string ContainerId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Case { get; set; } = "";
        public string Command { get; set; } = "";

        /// <summary>CPU use over the sample interval; 100 per fully used CPU (as docker stats).</summary>
        public double CpuPercent { get; set; }

        public int OnlineCpus { get; set; }

        /// <summary>Memory used, without the page cache that can be reclaimed (as docker stats).</summary>
        public long MemoryUsageBytes { get; set; }

        public long MemoryLimitBytes { get; set; }
        public double MemoryPercent { get; set; }
        public long NetworkRxBytes { get; set; }
        public long NetworkTxBytes { get; set; }
        public long BlockReadBytes { get; set; }
        public long BlockWriteBytes { get; set; }
        public long Pids { get; set; }
    }
}
