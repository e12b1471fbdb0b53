using System.Management.Automation;
using FoamPS.Foam;

namespace FoamPS.Commands
{
    /// <summary>One FoamResidual per linear solve in a solver log.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamResidual")]
    [OutputType(typeof(FoamResidual))]
    public sealed class GetFoamResidualCommand : FoamLogCmdlet
    {
        protected override void Parse(string logPath)
        {
            var count = 0;
            LogParser.ParseFile(logPath, r => { count++; WriteObject(r); });
            if (count == 0) WriteWarning($"'{logPath}' holds no residuals (no 'Solving for' lines): is it a solver's log, and did the solver get to its first time step?");
        }
    }
}
