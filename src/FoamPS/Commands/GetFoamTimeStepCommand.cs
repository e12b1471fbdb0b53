using System.Management.Automation;
using FoamPS.Foam;

namespace FoamPS.Commands
{
    /// <summary>One FoamTimeStep per time step in a solver log: Courant numbers, times, continuity errors.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamTimeStep")]
    [OutputType(typeof(FoamTimeStep))]
    public sealed class GetFoamTimeStepCommand : FoamLogCmdlet
    {
        protected override void Parse(string logPath)
        {
            var count = 0;
            LogParser.ParseFile(logPath, null, t => { count++; WriteObject(t); });
            if (count == 0) WriteWarning($"'{logPath}' holds no time steps (no 'Time = ' lines): is it a solver's log, and did the solver get to its first time step?");
        }
    }
}
