using System;

namespace FoamPS.Engine
{
    /// <summary>
    /// Reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool, out of order).
    /// </summary>
    public sealed class SyncProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        public SyncProgress(Action<T> report) { _report = report; }
        public void Report(T value) => _report(value);
    }

}
