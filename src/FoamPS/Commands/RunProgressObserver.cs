using System.Management.Automation;
using System.Threading;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Turns runner events into progress and verbose records on the pipeline thread.</summary>
    internal sealed class RunProgressObserver : IRunObserver
    {
        private static int _nextActivityId = 0x0F0A;
        private readonly FoamCmdlet _cmdlet;
        private readonly int _activityId = Interlocked.Increment(ref _nextActivityId);
        private readonly string _activity;
        private bool _shown;

        public RunProgressObserver(FoamCmdlet cmdlet, RunSpec spec, bool wantsLines)
        {
            _cmdlet = cmdlet;
            WantsLines = wantsLines;
            _activity = $"{spec.Application} in {System.IO.Path.GetFileName(spec.CasePath)}";
        }

        public bool WantsLines { get; }

        public void Line(string line) => _cmdlet.PostVerbose(line);

        public void Verbose(string message) => _cmdlet.PostVerbose(message);

        public void Warning(string message) => _cmdlet.PostWarning(message);

        public Engine.IPullObserver Pulling(string reference) => new PullProgress(_cmdlet, reference);

        public void Status(Foam.SolverStatus status)
        {
            var text = status.Text;
            text = text.Length == 0 ? "running" : text.Length > 200 ? text.Substring(0, 200) : text;
            _shown = true;
            _cmdlet.PostProgress(new ProgressRecord(_activityId, _activity, text)
            {
                PercentComplete = status.PercentComplete,
                SecondsRemaining = status.SecondsRemaining,
            });
        }

        /// <summary>Completes the progress bar so none is left on screen.</summary>
        public void Complete()
        {
            if (!_shown) return;
            _cmdlet.PostProgress(new ProgressRecord(_activityId, _activity, "done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
