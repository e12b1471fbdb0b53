using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Lists FoamPS sessions on the engine.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamSession")]
    [OutputType(typeof(FoamSession))]
    public sealed class GetFoamSessionCommand : FoamCmdlet
    {
        protected override void ProcessRecord() =>
            RunAsync(async ct =>
            {
                foreach (var s in await FoamSessions.ListAsync(Engine, ct).ConfigureAwait(false)) PostObject(s);
            });
    }
}
