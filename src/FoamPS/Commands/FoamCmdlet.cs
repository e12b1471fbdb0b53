using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Engine;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>
    /// Base of FoamPS cmdlets: the engine parameters, the queue pump that runs async work off the
    /// pipeline thread while every Write* happens on it, cancellation on Ctrl+C, and FoamPS errors
    /// turned into ErrorRecords.
    /// </summary>
    public abstract class FoamCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private BlockingCollection<Action>? _queue;

        /// <summary>The Docker engine: unix:///path, npipe://./pipe/name, tcp://host:port or host:port (default: $env:DOCKER_HOST, then the docker context, then the local engine).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DockerHost { get; set; }

        /// <summary>A docker CLI context (docker context ls) naming the engine and its TLS material.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ContextCompleter))]
        public string? Context { get; set; }

        /// <summary>Directory with ca.pem, cert.pem and key.pem for a TLS engine (default: $env:DOCKER_CERT_PATH, then ~/.docker).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TlsCertPath { get; set; }

        /// <summary>Connect over TLS without verifying the engine's certificate. Only for testing: anyone in the middle can pose as the engine.</summary>
        [Parameter]
        public SwitchParameter TlsSkipVerify { get; set; }

        /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing).</summary>
        protected CancellationToken CancelToken => _stopping.Token;

        private DockerEndpoint? _endpoint;

        /// <summary>The engine this cmdlet talks to, resolved once per invocation from the parameters and environment.</summary>
        protected DockerEndpoint ResolveEndpoint()
        {
            if (_endpoint != null) return _endpoint;
            var options = EngineOptionsFrom(DockerHost, Context, TlsCertPath, TlsSkipVerify.IsPresent, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            DockerEndpoint endpoint;
            try { endpoint = DockerEndpoint.Resolve(options); }
            catch (FoamException e) when (Thread.CurrentThread.ManagedThreadId == _pipelineThread && _queue == null)
            {
                // On the pipeline thread, outside RunAsync: a terminating error with its ErrorId, like everywhere else.
                ThrowTerminatingError(ToErrorRecord(e));
                throw;
            }
            if (endpoint.Tls != null && !endpoint.Tls.Verify)
                Warn($"TLS to {endpoint} does not verify the engine's certificate (-TlsSkipVerify or the context's SkipTLSVerify): the connection is encrypted, but anyone in between can pose as the engine.");
            return _endpoint = endpoint;
        }

        private readonly int _pipelineThread = Thread.CurrentThread.ManagedThreadId;

        /// <summary>A warning from whichever thread: written directly on the pipeline thread, else queued for it.</summary>
        private void Warn(string message)
        {
            if (Thread.CurrentThread.ManagedThreadId == _pipelineThread || _queue == null) WriteWarning(message);
            else PostWarning(message);
        }

        /// <summary>Engine options with a relative -TlsCertPath taken from the current PowerShell location.</summary>
        internal static EngineOptions EngineOptionsFrom(string? host, string? context, string? certPath, bool skipVerify, string? currentDirectory)
        {
            if (certPath != null && currentDirectory != null && !System.IO.Path.IsPathRooted(certPath) && !certPath.StartsWith("~", StringComparison.Ordinal))
                certPath = System.IO.Path.Combine(currentDirectory, certPath);
            return new EngineOptions { DockerHost = host, Context = context, TlsCertPath = certPath, TlsSkipVerify = skipVerify };
        }

        /// <summary>True when -Verbose is on (by parameter or preference).</summary>
        protected bool VerboseEnabled
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var v)) return ((SwitchParameter)v).IsPresent;
                return GetVariableValue("VerbosePreference") is ActionPreference p && p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore;
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs <paramref name="body"/> on the thread pool and executes what it posts on this
        /// (the pipeline) thread until it ends. FoamExceptions it throws become terminating errors.
        /// </summary>
        protected void RunAsync(Func<CancellationToken, Task> body)
        {
            using var queue = new BlockingCollection<Action>(boundedCapacity: 256);
            _queue = queue;
            var work = Task.Run(async () =>
            {
                try { await body(CancelToken).ConfigureAwait(false); }
                finally { queue.CompleteAdding(); }
            });
            try
            {
                foreach (var action in queue.GetConsumingEnumerable()) action();
            }
            catch
            {
                // The pipeline thread failed (e.g. the pipeline was stopped while writing):
                // stop the work and let it clean up before we leave.
                _stopping.Cancel();
                try { work.Wait(); } catch (AggregateException) { }
                throw;
            }
            finally
            {
                _queue = null;
            }

            try
            {
                work.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (FoamException e)
            {
                ThrowTerminatingError(ToErrorRecord(e));
            }
            catch (OperationCanceledException e)
            {
                // Not our Ctrl+C: a timeout somewhere below.
                ThrowTerminatingError(ToErrorRecord(new FoamException(ErrorIds.EngineUnreachable, FoamErrorKind.ConnectionError,
                    $"The Docker engine did not answer in time: {e.Message}", null, e)));
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is ActionPreferenceStopException))
            {
                // Anything unforeseen still gets a stable ErrorId and says where it came from.
                ThrowTerminatingError(ToErrorRecord(new FoamException(ErrorIds.UnexpectedError, FoamErrorKind.NotSpecified,
                    $"{MyInvocation.MyCommand.Name} failed unexpectedly: {e.Message}", null, e)));
            }
        }

        /// <summary>Like <see cref="RunAsync(Func{CancellationToken, Task})"/>, returning what the body returns.</summary>
        protected T RunAsync<T>(Func<CancellationToken, Task<T>> body)
        {
            T value = default!;
            RunAsync(async ct => { value = await body(ct).ConfigureAwait(false); });
            return value;
        }

        /// <summary>The shared connection to the engine this cmdlet talks to.</summary>
        protected EngineClient Engine => EngineClient.For(ResolveEndpoint());

        /// <summary>
        /// Finds the FoamPS container of each id or name; unknown ones are non-terminating
        /// ContainerNotFound errors, so the rest of the pipeline goes on.
        /// </summary>
        protected async Task<IReadOnlyList<FoamContainer>> ResolveContainersAsync(IEnumerable<string> ids, CancellationToken ct)
        {
            var engine = Engine;
            var found = new List<FoamContainer>();
            foreach (var id in ids)
            {
                try { found.Add(await FoamContainers.ResolveAsync(engine, id, ct).ConfigureAwait(false)); }
                catch (FoamException e) when (e.ErrorId == ErrorIds.ContainerNotFound) { PostError(e); }
            }
            return found;
        }

        /// <summary>A failure that concerns one item of the pipeline: reported, and the rest goes on. An unreachable engine stops the command.</summary>
        protected static bool IsPerItem(FoamException e) => e.ErrorId != ErrorIds.EngineUnreachable && e.ErrorId != ErrorIds.InvalidDockerHost;

        /// <summary>Queues <paramref name="action"/> for the pipeline thread (blocks when the queue is full).</summary>
        protected void Post(Action action)
        {
            var queue = _queue ?? throw new InvalidOperationException("Post outside RunAsync.");
            // Once stopping, records are dropped quietly: the cleanup that follows must still run.
            try { queue.Add(action, CancelToken); }
            catch (OperationCanceledException) { }
            catch (InvalidOperationException) { /* completed: the pipeline is gone */ }
        }

        protected internal void PostObject(object value) => Post(() => WriteObject(value));
        protected internal void PostVerbose(string message) => Post(() => WriteVerbose(message));
        protected internal void PostProgress(ProgressRecord record) => Post(() => WriteProgress(record));
        protected internal void PostWarning(string message) => Post(() => WriteWarning(message));
        protected void PostError(FoamException e) => Post(() => WriteError(ToErrorRecord(e)));

        /// <summary>An ErrorRecord with the exception's stable ErrorId, category and target.</summary>
        protected static ErrorRecord ToErrorRecord(FoamException e)
        {
            var category = Enum.TryParse<ErrorCategory>(e.Kind.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
            return new ErrorRecord(e, e.ErrorId, category, e.Target);
        }

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
