using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>
    /// Copies a container's multiplexed output to the log as it arrives: stdout and stderr
    /// interleaved in the order the engine sent them, byte for byte, never held whole in memory.
    /// Keeps the tail for error messages and reports lines and the latest line to the observer.
    /// </summary>
    internal sealed class OutputPump
    {
        private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(250);

        private readonly MultiplexedStream _stream;
        private readonly Stream? _log;
        private readonly LogTail _tail;
        private readonly IRunObserver _observer;
        private readonly SolverProgress _progress;

        public OutputPump(MultiplexedStream stream, Stream? log, LogTail tail, IRunObserver observer, SolverProgress? progress = null)
        {
            _progress = progress ?? new SolverProgress(null);
            _stream = stream;
            _log = log;
            _tail = tail;
            _observer = observer;
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var splitter = _observer.WantsLines ? new LineSplitter(_observer.Line) : null;
            var buffer = new byte[81920];
            using var done = new CancellationTokenSource();
            var ticker = TickAsync(done.Token);
            // The netstandard2.0 transport may not abort a pending read on cancellation:
            // disposing the stream does.
            using (cancellationToken.Register(_stream.Dispose))
            {
                try
                {
                    while (true)
                    {
                        var read = await _stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                        if (read.EOF) break;
                        if (read.Count == 0) continue;
                        if (_log != null) await WriteLogAsync(buffer, read.Count).ConfigureAwait(false);
                        _tail.Append(buffer, 0, read.Count);
                        splitter?.Write(buffer, 0, read.Count);
                    }
                    splitter?.Flush();
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException))
                {
                    // The read failed because the stream was disposed by the cancellation.
                    throw new OperationCanceledException("The run was stopped.", e, cancellationToken);
                }
                finally
                {
                    done.Cancel();
                    await ticker.ConfigureAwait(false);
                    ReportStatus();
                }
            }
        }

        private async Task WriteLogAsync(byte[] buffer, int count)
        {
            try
            {
                await _log!.WriteAsync(buffer, 0, count, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                var path = (_log as FileStream)?.Name;
                throw new FoamException(ErrorIds.LogNotWritable, FoamErrorKind.WriteError,
                    $"Writing the log '{path}' failed after {_tail.Written} bytes: {e.Message} The container was stopped; the log holds what was written before.",
                    path, e);
            }
        }

        private void ReportStatus() => _observer.Status(_progress.Update(_tail.LastLines(200), DateTime.UtcNow));

        /// <summary>Reports the latest line while output arrives, at most every 250 ms.</summary>
        private async Task TickAsync(CancellationToken done)
        {
            long seen = 0;
            while (!done.IsCancellationRequested)
            {
                try { await Task.Delay(StatusInterval, done).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                var written = _tail.Written;
                if (written == seen) continue;
                seen = written;
                ReportStatus();
            }
        }
    }
}
