using System.Management.Automation;
using FoamPS.Foam;

namespace FoamPS.Commands
{
    /// <summary>One FoamResidual per linear solve in a solver log.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamResidual")]
    [OutputType(typeof(FoamResidual))]
    public sealed class GetFoamResidualCommand : FoamLogCmdlet
    {
        protected override void Parse(string logPath) => LogParser.ParseFile(logPath, WriteObject);
    }
}
