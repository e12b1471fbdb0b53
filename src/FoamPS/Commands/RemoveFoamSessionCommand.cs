using System;
using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Ends sessions: their containers are stopped and removed, with whatever still runs in them.</summary>
    [Cmdlet(VerbsCommon.Remove, "FoamSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveFoamSessionCommand : FoamCmdlet
    {
        /// <summary>Sessions (FoamSession objects) or their ids or names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        public string[] Id { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                var session = RunAsync(async ct =>
                {
                    try { return await FoamSessions.ResolveAsync(Engine, id, ct).ConfigureAwait(false); }
                    catch (FoamException e) when (e.ErrorId == ErrorIds.SessionNotFound) { PostError(e); return null; }
                });
                if (session == null) continue;
                if (!ShouldProcess($"{session.Name} on {session.Case}", "Remove session")) continue;
                var observer = new RunProgressObserver(this, new RunSpec { CasePath = session.Case, Command = "session" }, false);
                RunAsync(_ => FoamRunner.RemoveAsync(Engine, session.Id, observer));
            }
        }
    }
}
