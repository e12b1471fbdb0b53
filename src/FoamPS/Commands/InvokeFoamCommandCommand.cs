using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
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

        private static int _nextActivityId = 0x0F0A;
        private int _activityId;

        /// <summary>The case directory (the folder holding system/ and constant/).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath", "Case")]
        public string Path { get; set; } = "";

        /// <summary>The shell command line to run in the case, e.g. blockMesh or "./Allrun".</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [AllowEmptyString]
        public string Command { get; set; } = "";

        /// <summary>Arguments appended to the command, each quoted so the shell never re-reads it.</summary>
        [Parameter]
        [Alias("Args")]
        public string[] ArgumentList { get; set; } = Array.Empty<string>();

        /// <summary>The image (default: $env:FOAMPS_IMAGE, else opencfd/openfoam-default:latest).</summary>
        [Parameter]
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

        protected override void BeginProcessing()
        {
            _activityId = Interlocked.Increment(ref _nextActivityId);
        }

        protected override void ProcessRecord()
        {
            RunSpec spec;
            try
            {
                spec = BuildSpec();
                RunSpec.ValidateCase(spec.CasePath);
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
            var observer = new Observer(this, spec);
            RunAsync(async ct =>
            {
                try
                {
                    if (Detach)
                    {
                        PostObject(await FoamRunner.StartDetachedAsync(spec, observer, ct).ConfigureAwait(false));
                        return;
                    }
                    var result = await FoamRunner.RunAsync(spec, observer, ct).ConfigureAwait(false);
                    observer.Complete();
                    PostObject(result);
                    if (result.Failure != null) PostError(result.Failure);
                }
                catch (FoamException e) when (IsPerCase(e))
                {
                    observer.Complete();
                    PostError(e);
                }
                catch
                {
                    observer.Complete();
                    throw;
                }
            });
        }

        /// <summary>Errors that concern one case of the pipeline: the others still run.</summary>
        private static bool IsPerCase(FoamException e) =>
            e.ErrorId is ErrorIds.CaseNotFound or ErrorIds.CaseNotDirectory or ErrorIds.CaseNotFileSystem or ErrorIds.LogNotWritable;

        private RunSpec BuildSpec()
        {
            var spec = new RunSpec
            {
                CasePath = ResolveCasePath(Path),
                Command = Command ?? "",
                Arguments = ArgumentList ?? Array.Empty<string>(),
                Image = Image ?? FoamDefaults.Image,
                User = User,
                BashRc = BashRc,
                NoLog = NoLog.IsPresent,
                LogPath = LogPath == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LogPath),
                Endpoint = ResolveEndpoint(),
                Pull = Pull,
                MemoryBytes = Memory == null ? null : RunSpec.ParseMemory(Memory),
            };
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

        /// <summary>Turns runner events into progress and verbose records on the pipeline thread.</summary>
        private sealed class Observer : IRunObserver
        {
            private readonly InvokeFoamCommandCommand _cmdlet;
            private readonly string _activity;
            private bool _shown;

            public Observer(InvokeFoamCommandCommand cmdlet, RunSpec spec)
            {
                _cmdlet = cmdlet;
                WantsLines = cmdlet.VerboseEnabled;
                _activity = $"{spec.Application} in {System.IO.Path.GetFileName(spec.CasePath)}";
            }

            public bool WantsLines { get; }

            public void Line(string line) => _cmdlet.PostVerbose(line);

            public void Verbose(string message) => _cmdlet.PostVerbose(message);

            public Engine.IPullObserver Pulling(string reference) => new PullProgress(_cmdlet, reference);

            public void Status(Foam.SolverStatus status)
            {
                var text = status.Text;
                text = text.Length == 0 ? "running" : text.Length > 200 ? text.Substring(0, 200) : text;
                _shown = true;
                _cmdlet.PostProgress(new ProgressRecord(_cmdlet._activityId, _activity, text)
                {
                    PercentComplete = status.PercentComplete,
                    SecondsRemaining = status.SecondsRemaining,
                });
            }

            /// <summary>Completes the progress bar so none is left on screen.</summary>
            public void Complete()
            {
                if (!_shown) return;
                _cmdlet.PostProgress(new ProgressRecord(_cmdlet._activityId, _activity, "done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
