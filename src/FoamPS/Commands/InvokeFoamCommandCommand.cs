using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>
    /// Runs an OpenFOAM command (an application, a utility or a script) on a case directory in a
    /// container, streams its output to log.&lt;application&gt; in the case and emits a FoamRunResult.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FoamCommand", DefaultParameterSetName = LogSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FoamRunResult))]
    [OutputType(typeof(FoamContainer))]
    public sealed class InvokeFoamCommandCommand : FoamCmdlet
    {
        private const string LogSet = "Log";
        private const string NoLogSet = "NoLog";


        /// <summary>The case directory (the folder holding system/ and constant/).</summary>
        /// <remarks>Not mandatory: with -Session it defaults to the session's case.</remarks>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath", "Case")]
        public string Path { get; set; } = "";

        /// <summary>The shell command line to run in the case, e.g. blockMesh or "./Allrun".</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(CommandCompleter))]
        public string Command { get; set; } = "";

        /// <summary>Arguments appended to the command, each quoted so the shell never re-reads it.</summary>
        [Parameter]
        [Alias("Args")]
        public string[] ArgumentList { get; set; } = Array.Empty<string>();

        /// <summary>The image (default: $env:FOAMPS_IMAGE, else opencfd/openfoam-default:latest).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string? Image { get; set; }

        /// <summary>uid[:gid] to run as (default: the host user's uid:gid on Linux and macOS).</summary>
        [Parameter]
        public string? User { get; set; }

        /// <summary>Extra environment variables for the command.</summary>
        [Parameter]
        public Hashtable? Environment { get; set; }

        /// <summary>Where to write the log (default: log.&lt;application&gt; in the case).</summary>
        [Parameter(ParameterSetName = LogSet)]
        public string? LogPath { get; set; }

        /// <summary>Write no log file.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NoLogSet)]
        public SwitchParameter NoLog { get; set; }

        /// <summary>The OpenFOAM environment script inside the image (default: detected).</summary>
        [Parameter]
        public string? BashRc { get; set; }

        /// <summary>
        /// Start the run and return a FoamContainer at once. The container writes the log into the
        /// case itself, runs on when this session ends, and stays until Remove-FoamContainer.
        /// </summary>
        [Parameter]
        public SwitchParameter Detach { get; set; }

        /// <summary>Missing (default): pull the image when the engine lacks it; Always: pull first; Never: fail with ImageNotFound.</summary>
        [Parameter]
        public PullPolicy Pull { get; set; } = PullPolicy.Missing;

        /// <summary>The container's memory limit: bytes, or a size such as 512MB or 2GB. Exceeding it ends the run with an out-of-memory CommandFailed error.</summary>
        [Parameter]
        public string? Memory { get; set; }

        /// <summary>Run as an MPI job on this many ranks: decomposePar, mpirun -np N &lt;command&gt; -parallel, reconstructPar (a result each).</summary>
        [Parameter]
        public int? Parallel { get; set; }

        /// <summary>With -Parallel: the case is decomposed already.</summary>
        [Parameter]
        public SwitchParameter NoDecompose { get; set; }

        /// <summary>With -Parallel: leave the processor directories, do not reconstruct.</summary>
        [Parameter]
        public SwitchParameter NoReconstruct { get; set; }

        /// <summary>With -Parallel: let mpirun start more ranks than the container has CPUs.</summary>
        [Parameter]
        public SwitchParameter Oversubscribe { get; set; }

        /// <summary>CPUs the container may use (e.g. 1.5).</summary>
        [Parameter]
        public double? Cpus { get; set; }

        /// <summary>CPUs the container may run on (e.g. 0-3 or 0,2).</summary>
        [Parameter]
        public string? CpusetCpus { get; set; }

        /// <summary>How many cases from the pipeline run at once (default: the engine's CPUs divided by the CPUs each run needs).</summary>
        [Parameter]
        public int? ThrottleLimit { get; set; }

        /// <summary>The network the container joins (default: none; "bridge" or a user-defined network to reach others).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkCompleter))]
        public string Network { get; set; } = "none";

        /// <summary>How the case reaches the container: Auto (Bind on a local engine, else Copy), Bind (mount it) or Copy (send it in, bring changes back).</summary>
        [Parameter]
        public CaseTransfer CaseTransfer { get; set; } = CaseTransfer.Auto;

        /// <summary>Run through exec in this warm session (New-FoamSession) instead of a fresh container.</summary>
        [Parameter]
        public FoamSession? Session { get; set; }

        private readonly List<RunSpec> _pending = new List<RunSpec>();

        protected override void BeginProcessing()
        {
            if (ThrottleLimit is int t && t < 1)
                ThrowTerminatingError(ToErrorRecord(new FoamArgumentException(ErrorIds.InvalidThrottleLimit,
                    $"-ThrottleLimit {t}: give 1 or more.", t)));
            if (Parallel is int p && p < 1)
                ThrowTerminatingError(ToErrorRecord(new FoamArgumentException(ErrorIds.InvalidParallel,
                    $"-Parallel {p} is not a usable number of MPI ranks: give 1 or more.", p)));
            if (Detach && (Parallel != null || Session != null))
                ThrowTerminatingError(ToErrorRecord(new FoamArgumentException(ErrorIds.ParameterConflict,
                    "-Detach starts one container and returns; it cannot be combined with -Parallel (three steps) or -Session (exec).", null)));
            if (Session != null && Parallel != null)
                ThrowTerminatingError(ToErrorRecord(new FoamArgumentException(ErrorIds.ParameterConflict,
                    "-Session runs through exec in the session's container; -Parallel needs containers of its own. Use one or the other.", null)));
        }

        /// <summary>Checks each case as it arrives; the runs start in EndProcessing, several at a time.</summary>
        protected override void ProcessRecord()
        {
            RunSpec spec;
            try
            {
                spec = BuildSpec();
                RunSpec.ValidateCase(spec.CasePath);
                spec.Validate();
            }
            catch (FoamException e) when (IsPerCase(e))
            {
                WriteError(ToErrorRecord(e));
                return;
            }
            catch (FoamException e)
            {
                ThrowTerminatingError(ToErrorRecord(e));
                return;
            }
            if (!ShouldProcess(spec.CasePath, $"Run '{spec.CommandLine}' in {spec.Image}")) return;
            _pending.Add(spec);
        }

        protected override void EndProcessing()
        {
            if (_pending.Count == 0) return;
            var wantsLines = VerboseEnabled;
            var perRun = Parallel ?? (Cpus is double c ? c : 1.0);
            RunAsync(async ct =>
            {
                var engine = Engine;
                var booking = _pending.Count > 1 || Parallel != null ? await ResourceBooking.ForAsync(engine, ct).ConfigureAwait(false) : null;
                var throttle = ThrottleLimit ?? (booking == null ? 1 : Math.Max(1, (int)Math.Floor(booking.Cpus / Math.Min(perRun, booking.Cpus))));
                using var gate = new SemaphoreSlim(throttle);
                using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var runs = _pending.Select(async spec =>
                {
                    await gate.WaitAsync(failed.Token).ConfigureAwait(false);
                    try
                    {
                        using var booked = booking == null ? null : await booking.BookAsync(perRun, spec.MemoryBytes ?? 0, failed.Token).ConfigureAwait(false);
                        await RunCaseAsync(spec, wantsLines, failed.Token).ConfigureAwait(false);
                    }
                    catch (Exception) when (!ct.IsCancellationRequested)
                    {
                        // A failure that stops the command stops the other runs too.
                        failed.Cancel();
                        throw;
                    }
                    finally { gate.Release(); }
                }).ToList();
                try { await Task.WhenAll(runs).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Report the failure that cancelled the others, not their cancellations.
                    var first = runs.Where(r => r.IsFaulted).Select(r => r.Exception!.InnerException).FirstOrDefault();
                    if (first != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
                    throw;
                }
            });
        }

        /// <summary>One case: one run, or the three steps of a parallel run; per-case failures are reported and the rest goes on.</summary>
        private async Task RunCaseAsync(RunSpec spec, bool wantsLines, CancellationToken ct)
        {
            try
            {
                if (Detach)
                {
                    PostObject(await FoamRunner.StartDetachedAsync(spec, new RunProgressObserver(this, spec, wantsLines), ct).ConfigureAwait(false));
                    return;
                }
                if (Session != null)
                {
                    var live = await FoamSessions.ResolveAsync(Engine, Session.Id, ct).ConfigureAwait(false);
                    var observer = new RunProgressObserver(this, spec, wantsLines);
                    FoamRunResult result;
                    try { result = await FoamRunner.ExecAsync(live, spec, observer, ct).ConfigureAwait(false); }
                    finally { observer.Complete(); }
                    PostObject(result);
                    if (result.Failure != null) PostError(result.Failure);
                    return;
                }
                var steps = new List<RunSpec> { spec };
                if (Parallel is int ranks)
                {
                    if (NoDecompose) ParallelRun.CheckDecomposed(spec.CasePath, ranks);
                    else if (ParallelRun.EnsureDecomposeParDict(spec.CasePath, ranks, spec.EffectiveUser) is string changed) PostWarning(changed);
                    steps = ParallelRun.Steps(spec, ranks, !NoDecompose, !NoReconstruct, Oversubscribe).ToList();
                }
                foreach (var step in steps)
                {
                    var observer = new RunProgressObserver(this, step, wantsLines);
                    FoamRunResult result;
                    try { result = await FoamRunner.RunAsync(step, observer, ct).ConfigureAwait(false); }
                    finally { observer.Complete(); }
                    PostObject(result);
                    if (result.Failure == null) continue;
                    PostError(result.Failure);
                    return;   // the next step needs this one
                }
            }
            catch (FoamException e) when (IsPerCase(e))
            {
                PostError(e);
            }
        }

        /// <summary>Errors that concern one case of the pipeline: the others still run.</summary>
        private static bool IsPerCase(FoamException e) =>
            e.ErrorId is ErrorIds.CaseNotFound or ErrorIds.CaseNotDirectory or ErrorIds.CaseNotFileSystem or ErrorIds.LogNotWritable
                or ErrorIds.ParallelMismatch or ErrorIds.SessionCaseMismatch;

        private RunSpec BuildSpec()
        {
            if (string.IsNullOrEmpty(Path) && Session == null)
                throw new FoamArgumentException(ErrorIds.CaseNotFound, "Give the case directory with -Path (or a -Session, whose case is used).", Path, FoamErrorKind.ObjectNotFound);
            var spec = new RunSpec
            {
                CasePath = string.IsNullOrEmpty(Path) ? Session!.Case : ResolveCasePath(Path),
                Command = Command ?? "",
                Arguments = ArgumentList ?? Array.Empty<string>(),
                Image = Image ?? Session?.Image ?? FoamDefaults.Image,
                User = User,
                BashRc = BashRc,
                NoLog = NoLog.IsPresent,
                LogPath = LogPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LogPath),
                Endpoint = ResolveEndpoint(),
                Pull = Pull,
                MemoryBytes = Memory == null ? null : RunSpec.ParseMemory(Memory),
                Cpus = Cpus,
                Network = Network,
                CpusetCpus = CpusetCpus,
                Transfer = CaseTransfer,
            };
            if (spec.CopiesCase && Detach)
                throw new FoamArgumentException(ErrorIds.ParameterConflict,
                    $"-Detach needs the engine to see the case through a bind mount, and this run copies it (-CaseTransfer {CaseTransfer} on {spec.Endpoint}). " +
                    "Run it attached (Start-ThreadJob for the background), or use -CaseTransfer Bind when the engine can see this path.", CaseTransfer);
            if (Session != null && CaseTransfer == CaseTransfer.Copy)
                throw new FoamArgumentException(ErrorIds.ParameterConflict,
                    "-Session runs in a container that mounts its case; -CaseTransfer Copy does not apply to it.", CaseTransfer);
            if (Environment != null)
            {
                var env = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry kv in Environment)
                {
                    env[kv.Key?.ToString() ?? ""] = LanguagePrimitives.ConvertTo<string>(kv.Value) ?? "";
                }
                spec.Environment = env;
            }
            return spec;
        }

        /// <summary>A FileSystem path (relative, PSPath or absolute) as an absolute host path.</summary>
        private string ResolveCasePath(string path)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is ItemNotFoundException || e is ArgumentException)
            {
                throw new FoamArgumentException(ErrorIds.CaseNotFound,
                    $"The case directory '{path}' does not exist: {e.Message}", path, FoamErrorKind.ObjectNotFound);
            }
            if (provider.Name != "FileSystem")
                throw new FoamArgumentException(ErrorIds.CaseNotFileSystem,
                    $"'{path}' is on the {provider.Name} provider; the case must be a directory on the file system.", path);
            var full = System.IO.Path.GetFullPath(resolved);
            var root = System.IO.Path.GetPathRoot(full) ?? "";
            return full.Length > root.Length ? full.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) : full;
        }
    }
}
