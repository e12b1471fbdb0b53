namespace FoamPS.Runner
{
    /// <summary>
    /// What the runner reports while it works. Called from worker threads: an implementation
    /// queues, it never writes to a PowerShell host directly.
    /// </summary>
    public interface IRunObserver
    {
        /// <summary>True when every output line should be passed to <see cref="Line"/> (costs decoding).</summary>
        bool WantsLines { get; }

        /// <summary>One line the command printed.</summary>
        void Line(string line);

        /// <summary>Where the command is (latest line; for solvers time, percent, residuals), a few times a second.</summary>
        void Status(Foam.SolverStatus status);

        /// <summary>Something the user should know that does not stop the run (e.g. entries refused on copy-back).</summary>
        void Warning(string message);

        /// <summary>The runner's own steps (creating, starting, removing ...).</summary>
        void Verbose(string message);

        /// <summary>Where the progress of pulling <paramref name="reference"/> goes, when a run pulls its image.</summary>
        Engine.IPullObserver Pulling(string reference);
    }

    /// <summary>An observer that shows nothing: for work nobody watches (listings, late clean-up).</summary>
    internal sealed class NullRunObserver : IRunObserver
    {
        public static readonly NullRunObserver Instance = new NullRunObserver();
        private NullRunObserver() { }
        public bool WantsLines => false;
        public void Line(string line) { }
        public void Status(Foam.SolverStatus status) { }
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public Engine.IPullObserver Pulling(string reference) => throw new System.InvalidOperationException("nothing pulls without an observer");
    }
}
