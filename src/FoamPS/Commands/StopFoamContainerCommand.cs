using System;
using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Stops FoamPS containers: SIGTERM, then SIGKILL after the grace period.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "FoamContainer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FoamContainer))]
    public sealed class StopFoamContainerCommand : FoamCmdlet
    {
        /// <summary>Container ids or names; also FoamContainer / FoamRunResult objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContainerId")]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Seconds between SIGTERM and SIGKILL (default 10).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int Timeout { get; set; } = 10;

        /// <summary>Emit the stopped container.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var container in RunAsync(ct => ResolveContainersAsync(Id, ct)))
            {
                if (!ShouldProcess($"{container.Name} ({container}): '{container.Command}' in {container.Case}", "Stop")) continue;
                RunAsync(async ct =>
                {
                    try
                    {
                        await FoamRunner.StopAsync(Engine, container, TimeSpan.FromSeconds(Timeout), ct).ConfigureAwait(false);
                        if (PassThru) PostObject(await FoamContainers.ResolveAsync(Engine, container.Id, ct).ConfigureAwait(false));
                    }
                    catch (FoamException e) when (IsPerItem(e)) { PostError(e); }
                });
            }
        }
    }
}
