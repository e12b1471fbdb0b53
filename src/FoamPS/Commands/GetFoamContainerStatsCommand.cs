using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>
    /// CPU, memory, network, block I/O and process counts of FoamPS containers, as the docker CLI
    /// computes them. Several containers are sampled at the same time.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FoamContainerStats")]
    [OutputType(typeof(FoamContainerStats))]
    public sealed class GetFoamContainerStatsCommand : FoamCmdlet
    {
        private readonly List<string> _ids = new List<string>();

        /// <summary>Container ids or names (default: every running FoamPS container); also FoamContainer / FoamRunResult objects.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContainerId")]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[]? Id { get; set; }

        /// <summary>A sample every -Interval until the container stops (or Ctrl+C).</summary>
        [Parameter]
        public SwitchParameter Follow { get; set; }

        /// <summary>Seconds between samples (default 1).</summary>
        [Parameter]
        [ValidateRange(0.1, 86400)]
        public double Interval { get; set; } = 1;

        /// <summary>Stop after this many samples per container.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        protected override void ProcessRecord()
        {
            if (Id != null) _ids.AddRange(Id);
        }

        protected override void EndProcessing()
        {
            var boundId = MyInvocation.BoundParameters.ContainsKey(nameof(Id)) || _ids.Count > 0;
            RunAsync(async ct =>
            {
                var containers = boundId
                    ? await ResolveContainersAsync(_ids, ct).ConfigureAwait(false)
                    : await FoamContainers.ListAsync(Engine, false, null, ct).ConfigureAwait(false);
                var interval = TimeSpan.FromSeconds(Interval);
                var repeat = Follow || Count > 1;
                await Task.WhenAll(containers.Select(async c =>
                {
                    try { await SampleAsync(c).ConfigureAwait(false); }
                    catch (FoamException e) when (IsPerItem(e)) { PostError(e); }
                })).ConfigureAwait(false);

                async Task SampleAsync(FoamContainer c)
                {
                    if (repeat)
                    {
                        var samples = 0;
                        await StatsSampler.FollowAsync(Engine, c, interval, Follow ? Count : Math.Max(Count, 1),
                            s => { System.Threading.Interlocked.Increment(ref samples); PostObject(s); }, ct).ConfigureAwait(false);
                        // Not running (or it ended before its first sample): said, as without -Follow.
                        if (samples == 0 && !ct.IsCancellationRequested) PostWarning($"Container {c} ({c.Name}) is not running: no stats.");
                    }
                    else if (await StatsSampler.SampleOnceAsync(Engine, c, ct).ConfigureAwait(false) is FoamContainerStats s)
                    {
                        PostObject(s);
                    }
                    else
                    {
                        PostWarning($"Container {c} ({c.Name}) is not running: no stats.");
                    }
                }
            });
        }
    }
}
