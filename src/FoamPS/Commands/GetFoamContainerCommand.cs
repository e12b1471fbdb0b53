using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Lists the containers FoamPS started (found by their labels), as FoamContainer objects.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamContainer")]
    [OutputType(typeof(FoamContainer))]
    public sealed class GetFoamContainerCommand : FoamCmdlet
    {
        /// <summary>Container ids (or id prefixes, or names); also FoamContainer / FoamRunResult objects.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContainerId")]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[]? Id { get; set; }

        /// <summary>Container names; wildcards allowed.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <summary>Only containers that run on this case directory.</summary>
        [Parameter]
        public string? Case { get; set; }

        /// <summary>Also containers that are not running.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Only attached runs whose PowerShell process is gone (nobody will remove them).</summary>
        [Parameter]
        public SwitchParameter Orphaned { get; set; }

        protected override void ProcessRecord()
        {
            var casePath = Case == null ? null : System.IO.Path.GetFullPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Case))
                .TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
            var ids = Id ?? Array.Empty<string>();
            var names = (Name ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            RunAsync(async ct =>
            {
                var all = All || Orphaned || ids.Length > 0;
                var containers = await FoamContainers.ListAsync(Engine, all, casePath, ct).ConfigureAwait(false);
                var matchedIds = new HashSet<string>(StringComparer.Ordinal);
                foreach (var c in containers)
                {
                    if (ids.Length > 0)
                    {
                        var hit = ids.FirstOrDefault(i => Matches(c, i));
                        if (hit == null) continue;
                        matchedIds.Add(hit);
                    }
                    if (names.Count > 0 && !names.Any(p => p.IsMatch(c.Name))) continue;
                    if (Orphaned && !FoamContainers.IsOrphan(c)) continue;
                    PostObject(c);
                }
                foreach (var missing in ids.Where(i => !matchedIds.Contains(i)))
                {
                    PostError(new FoamException(ErrorIds.ContainerNotFound, FoamErrorKind.ObjectNotFound,
                        $"No FoamPS container '{missing}' on the Docker engine at {Engine.Endpoint}. List them with Get-FoamContainer -All.", missing));
                }
            });
        }

        private static bool Matches(FoamContainer c, string id) =>
            id.Length > 0 && (c.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, id.TrimStart('/'), StringComparison.Ordinal));
    }
}
