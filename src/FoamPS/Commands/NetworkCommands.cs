using System;
using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Makes a labelled bridge network for FoamPS containers that talk to each other by name.</summary>
    [Cmdlet(VerbsCommon.New, "FoamNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FoamNetwork))]
    public sealed class NewFoamNetworkCommand : FoamCmdlet
    {
        /// <summary>The network's name (letters, digits, '_', '.', '-').</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Containers on the network reach each other but nothing outside it.</summary>
        [Parameter]
        public SwitchParameter Internal { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var name in Name)
            {
                try { FoamNetworks.ValidateName(name); }
                catch (FoamException e) { WriteError(ToErrorRecord(e)); continue; }
                if (!ShouldProcess($"{name} on {ResolveEndpoint()}", "Create network")) continue;
                RunAsync(async ct =>
                {
                    try { PostObject(await FoamNetworks.CreateAsync(Engine, name, Internal.IsPresent, ct).ConfigureAwait(false)); }
                    catch (FoamException e) when (e.ErrorId == ErrorIds.NetworkExists) { PostError(e); }
                });
            }
        }
    }

    /// <summary>Lists the networks made by New-FoamNetwork.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamNetwork")]
    [OutputType(typeof(FoamNetwork))]
    public sealed class GetFoamNetworkCommand : FoamCmdlet
    {
        /// <summary>Names or patterns; an exact name that matches nothing is a NetworkNotFound error.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(NetworkCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var patterns = Name ?? new[] { "*" };
            RunAsync(async ct =>
            {
                var engine = Engine;
                var networks = await FoamNetworks.ListAsync(engine, false, ct).ConfigureAwait(false);
                foreach (var pattern in patterns)
                {
                    var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                    var hits = 0;
                    foreach (var n in networks)
                    {
                        // A name or pattern, else an id or its short form (as docker network ls shows it).
                        var byId = pattern.Length >= 4 && n.Id.StartsWith(pattern, StringComparison.OrdinalIgnoreCase);
                        if (!wildcard.IsMatch(n.Name) && !byId) continue;
                        hits++;
                        PostObject(n);
                    }
                    if (hits == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                        PostError(new FoamException(ErrorIds.NetworkNotFound, FoamErrorKind.ObjectNotFound,
                            $"There is no FoamPS network '{pattern}' on {engine.Endpoint}.", pattern));
                }
            });
        }
    }

    /// <summary>Removes networks made by New-FoamNetwork; -Force disconnects their containers first.</summary>
    [Cmdlet(VerbsCommon.Remove, "FoamNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveFoamNetworkCommand : FoamCmdlet
    {
        /// <summary>Networks (FoamNetwork objects) or their names or ids.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(NetworkCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>Disconnect attached containers (they keep running) instead of failing with NetworkInUse.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var name in Name)
            {
                var network = RunAsync(async ct =>
                {
                    try { return await FoamNetworks.ResolveAsync(Engine, name, ct).ConfigureAwait(false); }
                    catch (FoamException e) when (e.ErrorId == ErrorIds.NetworkNotFound) { PostError(e); return null; }
                });
                if (network == null) continue;
                var attached = network.Containers.Length == 0 ? "" : $" (disconnecting {string.Join(", ", network.Containers)})";
                if (!ShouldProcess($"{network.Name} on {network.DockerHost}{(Force ? attached : "")}", "Remove network")) continue;
                RunAsync(async ct =>
                {
                    try { await FoamNetworks.RemoveAsync(Engine, network, Force.IsPresent, ct).ConfigureAwait(false); }
                    catch (FoamException e) when (e.ErrorId == ErrorIds.NetworkInUse) { PostError(e); }
                });
            }
        }
    }
}
