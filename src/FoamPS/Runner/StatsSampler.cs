using System;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;

namespace FoamPS.Runner
{
    /// <summary>Samples one container's resource use, once or every interval.</summary>
    public static class StatsSampler
    {
        /// <summary>
        /// One sample: the engine measures CPU over about a second itself (precpu_stats).
        /// Null when the container is not running.
        /// </summary>
        public static async Task<FoamContainerStats?> SampleOnceAsync(EngineClient engine, FoamContainer container, CancellationToken ct)
        {
            var response = await StatsAsync(engine, container, oneShot: false, ct).ConfigureAwait(false);
            return response == null ? null : Describe(StatsMath.ToSample(response), container);
        }

        /// <summary>
        /// A sample every <paramref name="interval"/> (CPU averaged over that interval) until the
        /// container stops, <paramref name="count"/> samples were taken (0: no limit), or cancellation.
        /// </summary>
        public static async Task FollowAsync(EngineClient engine, FoamContainer container, TimeSpan interval, int count,
            Action<FoamContainerStats> emit, CancellationToken ct)
        {
            // On a schedule, not a fixed pause: a stats call itself can take up to the engine's
            // one-second collection tick, and that must not add up from sample to sample.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var previous = await StatsAsync(engine, container, oneShot: true, ct).ConfigureAwait(false);
            for (var taken = 0; previous != null && (count == 0 || taken < count); taken++)
            {
                var due = TimeSpan.FromTicks(interval.Ticks * (taken + 1)) - clock.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, ct).ConfigureAwait(false);
                var current = await StatsAsync(engine, container, oneShot: true, ct).ConfigureAwait(false);
                if (current == null) return;
                emit(Describe(StatsMath.ToSample(current, previous.CPUStats), container));
                previous = current;
            }
        }

        private static FoamContainerStats Describe(FoamContainerStats sample, FoamContainer container)
        {
            sample.ContainerId = container.Id;
            sample.Name = container.Name;
            sample.Case = container.Case;
            sample.Command = container.Command;
            return sample;
        }

        /// <summary>The engine's stats, or null when the container is gone or not running.</summary>
        private static async Task<ContainerStatsResponse?> StatsAsync(EngineClient engine, FoamContainer container, bool oneShot, CancellationToken ct)
        {
            try
            {
                var inspect = await engine.Docker.Containers.InspectContainerAsync(container.Id, ct).ConfigureAwait(false);
                if (inspect.State?.Running != true) return null;
                ContainerStatsResponse? response = null;
                await engine.Docker.Containers.GetContainerStatsAsync(container.Id,
                    new ContainerStatsParameters { Stream = false, OneShot = oneShot },
                    new SyncProgress<ContainerStatsResponse>(r => response = r), ct).ConfigureAwait(false);
                // A container that exits between the inspect and the stats call answers with empty
                // stats (no CPUs, no processes): that is the end, not a sample of zeros.
                if (response == null || StatsMath.OnlineCpus(response.CPUStats) == 0 || response.PidsStats?.Current == 0) return null;
                return response;
            }
            catch (DockerContainerNotFoundException) { return null; }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, $"read the stats of container {container}");
            }
        }
    }
}
