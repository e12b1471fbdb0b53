using System;
using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Waits for FoamPS containers to exit and returns a FoamRunResult for each, like an attached run.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "FoamContainer")]
    [OutputType(typeof(FoamRunResult))]
    public sealed class WaitFoamContainerCommand : FoamCmdlet
    {
        /// <summary>Container ids or names; also FoamContainer / FoamRunResult objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContainerId")]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Seconds to wait at most (default: no limit). On timeout: a WaitTimeout error; the container runs on.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? Timeout { get; set; }

        protected override void ProcessRecord()
        {
            RunAsync(async ct =>
            {
                foreach (var container in await ResolveContainersAsync(Id, ct).ConfigureAwait(false))
                {
                    try
                    {
                        var result = await FoamRunner.WaitAsync(Engine, container,
                            Timeout is int t ? TimeSpan.FromSeconds(t) : (TimeSpan?)null, ct).ConfigureAwait(false);
                        PostObject(result);
                        if (result.Failure != null) PostError(result.Failure);
                    }
                    catch (FoamException e) when (IsPerItem(e))
                    {
                        PostError(e);
                    }
                }
            });
        }
    }
}
