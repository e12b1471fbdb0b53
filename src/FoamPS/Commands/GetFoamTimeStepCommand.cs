using System.Management.Automation;
using FoamPS.Foam;

namespace FoamPS.Commands
{
    /// <summary>One FoamTimeStep per time step in a solver log: Courant numbers, times, continuity errors.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamTimeStep")]
    [OutputType(typeof(FoamTimeStep))]
    public sealed class GetFoamTimeStepCommand : FoamLogCmdlet
    {
        protected override void Parse(string logPath) => LogParser.ParseFile(logPath, null, WriteObject);
    }
}
