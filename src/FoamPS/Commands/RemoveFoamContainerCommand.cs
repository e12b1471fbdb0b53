using System;
using System.Linq;
using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Removes FoamPS containers; a running one only with -Force. -Orphaned removes what dead sessions left.</summary>
    [Cmdlet(VerbsCommon.Remove, "FoamContainer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(void))]
    public sealed class RemoveFoamContainerCommand : FoamCmdlet
    {
        private const string IdSet = "Id";
        private const string OrphanedSet = "Orphaned";

        /// <summary>Container ids or names; also FoamContainer / FoamRunResult objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("ContainerId")]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Remove every container of an attached run whose PowerShell process is gone.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OrphanedSet)]
        public SwitchParameter Orphaned { get; set; }

        /// <summary>Kill and remove running containers too.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var targets = Orphaned
                ? RunAsync(async ct => (await FoamContainers.ListAsync(Engine, true, null, ct).ConfigureAwait(false)).Where(FoamContainers.IsOrphan).ToList())
                : RunAsync(ct => ResolveContainersAsync(Id, ct));
            foreach (var container in targets)
            {
                if (!ShouldProcess($"{container.Name} ({container}, {container.State}): '{container.Command}' in {container.Case}", "Remove")) continue;
                // Orphans are removed even when running: nobody else will.
                var force = Force || Orphaned;
                RunAsync(async ct =>
                {
                    try { await FoamRunner.RemoveContainerAsync(Engine, container, force, ct).ConfigureAwait(false); }
                    catch (FoamException e) when (IsPerItem(e)) { PostError(e); }
                });
            }
        }
    }
}
