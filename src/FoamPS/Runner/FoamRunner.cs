using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;
using FoamPS.Foam;


namespace FoamPS.Runner
{
    /// <summary>
    /// Runs one command in a container: create → attach → start → stream → wait → remove.
    /// A run that ends for any reason (success, failure, error, cancellation) removes its container.
    /// </summary>
    public static partial class FoamRunner
    {
        /// <summary>How long cleanup may take after a run ends or is stopped.</summary>
        private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(20);

        /// <summary>Runs the command attached: streams its output to the log and waits for it.</summary>
        public static async Task<FoamRunResult> RunAsync(RunSpec spec, IRunObserver observer, CancellationToken cancellationToken)
        {
            var logDirectory = spec.EffectiveLogPath == null ? null : Path.GetDirectoryName(spec.EffectiveLogPath);
            if (logDirectory != null && !Directory.Exists(logDirectory))
                throw new FoamException(ErrorIds.LogNotWritable, FoamErrorKind.WriteError,
                    $"Cannot write the log file '{spec.EffectiveLogPath}': its directory does not exist. Choose another -LogPath or use -NoLog.",
                    spec.EffectiveLogPath);
            if (spec.EffectiveLogPath != null) LogFile.EnsureWritable(spec.EffectiveLogPath);
            var (engine, imageId, bashRc) = await PrepareAsync(spec, observer, cancellationToken).ConfigureAwait(false);

            var result = new FoamRunResult
            {
                Case = spec.CasePath,
                Command = spec.CommandLine,
                Application = spec.Application,
                Image = spec.Image,
                User = spec.EffectiveUser,
                BashRc = bashRc,
                LogPath = spec.EffectiveLogPath,
                DockerHost = engine.Endpoint.ToString(),
                ExitCode = -1,
            };

            using var packed = spec.CopiesCase ? PackCase(spec, observer) : null;
            result.CaseTransfer = packed != null ? "Copy" : "Bind";

            var tail = new LogTail();
            string? containerId = null;
            var started = false;
            var copyBackTried = false;
            var keepContainer = false;
            try
            {
                var parameters = ContainerSpec.ForRun(spec, imageId, bashRc);
                var created = await CreateAsync(engine, parameters, observer, cancellationToken).ConfigureAwait(false);
                containerId = created.ID;
                result.ContainerId = created.ID;
                result.ContainerName = parameters.Name ?? "";
                observer.Verbose($"Created container {created.ID.Substring(0, 12)} for '{spec.CommandLine}' in {spec.CasePath} (image {spec.Image}, user '{spec.EffectiveUser}', environment {bashRc}).");

                using var stream = await Call(engine, "attach to the container",
                    ct => engine.Docker.Containers.AttachContainerAsync(created.ID,
                        new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, ct),
                    cancellationToken).ConfigureAwait(false);
                if (packed != null) await SendCaseAsync(engine, created.ID, packed, observer, cancellationToken).ConfigureAwait(false);

                result.StartTime = DateTime.Now;
                var clock = Stopwatch.StartNew();
                await Call(engine, "start the container",
                    ct => engine.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct),
                    cancellationToken).ConfigureAwait(false);
                started = true;
                // Only now: a run that could not start leaves the previous log alone. Output written
                // meanwhile waits in the attached stream.
                var logWasNew = IsNewLog(result.LogPath);
                using var log = OpenLog(result.LogPath, spec.EffectiveUser, spec.CasePath);

                await Call(engine, "read the container's output",
                    ct => new OutputPump(stream, log, tail, observer, new SolverProgress(ControlDict.ReadCase(spec.CasePath))).RunAsync(ct),
                    cancellationToken).ConfigureAwait(false);

                var exit = await Call(engine, "wait for the container",
                    ct => engine.Docker.Containers.WaitContainerAsync(created.ID, ct), cancellationToken).ConfigureAwait(false);
                clock.Stop();
                result.EndTime = result.StartTime + clock.Elapsed;
                result.Duration = clock.Elapsed;
                result.ExitCode = exit.StatusCode;
                result.Succeeded = exit.StatusCode == 0;
                result.OutputBytes = tail.Written;
                if (packed != null)
                {
                    // Also after a failure: the log and what the command wrote before it failed.
                    copyBackTried = true;
                    ExtractResult back;
                    try { back = await FetchCaseAsync(engine, created.ID, spec, packed, observer, cancellationToken).ConfigureAwait(false); }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The results exist only in the container now: keep it.
                        keepContainer = true;
                        throw;
                    }
                    result.CopiedBack = back.Written;
                    result.DeletedHere = back.Deleted;
                    result.Refused = back.Refused.ToArray();
                }
                if (!result.Succeeded) result.Failure = Failure(result, tail, await OomKilledAsync(engine, created.ID).ConfigureAwait(false), null, logWasNew);
                return result;
            }
            finally
            {
                if (packed != null && started && (!copyBackTried || cancellationToken.IsCancellationRequested) && containerId != null && !keepContainer)
                    keepContainer = !await CopyBackAfterStopAsync(engine, containerId, spec, packed, observer).ConfigureAwait(false);
                if (containerId != null && keepContainer)
                    observer.Warning($"What the run wrote could not all be copied back, so its container {Short(containerId)} is kept (stopped): " +
                        $"get the files with 'docker cp {Short(containerId)}:{FoamEnvironment.CaseMount}/. <folder>', then 'Remove-FoamContainer -Id {Short(containerId)} -Force'.");
                else if (containerId != null) await RemoveAsync(engine, containerId, observer).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// A copied run that was stopped or lost its stream: the command is killed, then what it wrote so
        /// far comes back (bounded in time), and then the container goes.
        /// </summary>
        /// <returns>False when the files could not all be copied back (the container should then be kept).</returns>
        private static async Task<bool> CopyBackAfterStopAsync(EngineClient engine, string containerId, RunSpec spec, PackedCase packed, IRunObserver observer)
        {
            using var cts = new CancellationTokenSource(CopyBackOnStopTimeout);
            try { await engine.Docker.Containers.KillContainerAsync(containerId, new ContainerKillParameters(), cts.Token).ConfigureAwait(false); }
            catch (Exception e) when (!(e is OutOfMemoryException)) { /* already exited */ }
            try
            {
                var back = await FetchCaseAsync(engine, containerId, spec, packed, observer, cts.Token).ConfigureAwait(false);
                observer.Warning($"The run was stopped; {back.Written} entries it created or changed were copied back to {spec.CasePath}.");
                return true;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                observer.Warning($"The run was stopped and its files could not be copied back to {spec.CasePath}: {ErrorTranslation.Describe(e)}.");
                return false;
            }
        }

        /// <summary>True when nothing (not even a link) is where the log is about to be written.</summary>
        private static bool IsNewLog(string? path) => path != null && !File.Exists(path) && !LogFile.IsLink(path);

        /// <summary>
        /// The run's log, in place of what was there: never written through a link (see <see cref="SafeFile"/>).
        /// A log inside the case goes to the run's <paramref name="user"/> when FoamPS runs as root.
        /// </summary>
        private static FileStream? OpenLog(string? path, string user, string casePath)
        {
            if (path == null) return null;
            try
            {
                var inCase = Path.GetFullPath(path).StartsWith(Path.GetFullPath(casePath).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                // Unbuffered: the engine hands over output in chunks of up to 32 KiB, and a
                // user tailing the log should see each line as soon as the solver prints it.
                return SafeFile.Replace(path, inCase ? user : null);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FoamException(ErrorIds.LogNotWritable, FoamErrorKind.WriteError,
                    $"Cannot write the log file '{path}': {e.Message} Choose another -LogPath or use -NoLog.", path, e);
            }
        }

        /// <summary>The CommandFailed error of a run: what happened in a line or two, then OpenFOAM's own error text.</summary>
        /// <remarks>Paths are named from <paramref name="mounted"/>, the host folder mounted at the case mount, when that is not result.Case (a session's case).</remarks>
        /// <remarks>A command that does not exist leaves no log behind when <paramref name="logWasNew"/> (bad input changes nothing in the case).</remarks>
        internal static FoamCommandFailedException Failure(FoamRunResult result, LogTail tail, bool oomKilled, string? mounted = null, bool logWasNew = false)
        {
            var lines = tail.LastLines(60);
            var diagnosis = FailureDiagnosis.Diagnose(lines, result.ExitCode, oomKilled);
            if (diagnosis.CommandNotFound && logWasNew && result.LogPath != null)
            {
                try { File.Delete(result.LogPath); result.LogPath = null; }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            }
            // Files are named as the user sees them: the case's own path, not where it is mounted in the container.
            string Here(string? text) => text == null ? null! : HostPaths(text, mounted ?? result.Case);
            var summary = Here(diagnosis.Summary);
            var fatal = diagnosis.FatalError == null ? null : Here(diagnosis.FatalError);
            result.FatalError = fatal ?? summary;
            result.OutOfMemory = oomKilled;
            var where = result.LogPath != null ? $" See the log '{result.LogPath}'." : "";
            var message = $"'{result.Command}' failed in {result.Case} with exit code {result.ExitCode}: {EndSentence(summary)}{where}" +
                          (fatal != null ? Environment.NewLine + fatal : "");
            return new FoamCommandFailedException(message, result.Case, result.ExitCode, result.LogPath, lines, fatal, oomKilled)
            {
                Summary = summary,
            };
        }

        /// <summary>"/home/openfoam/project/system/controlDict" → "&lt;case&gt;/system/controlDict".</summary>
        internal static string HostPaths(string text, string casePath)
        {
            if (string.IsNullOrEmpty(casePath)) return text;
            var mount = FoamEnvironment.CaseMount.TrimEnd('/');
            var sep = casePath.Contains("\\") && !casePath.Contains("/") ? "\\" : "/";
            return System.Text.RegularExpressions.Regex.Replace(text, System.Text.RegularExpressions.Regex.Escape(mount) + @"(?![\w-]|\.\w)(?<rest>/\S*)?",
                m => casePath.TrimEnd('/', '\\') + (m.Groups["rest"].Success ? m.Groups["rest"].Value.Replace("/", sep) : ""));
        }

        /// <summary>The text with a full stop, unless it already ends a sentence.</summary>
        internal static string EndSentence(string text)
        {
            var trimmed = text.TrimEnd();
            return trimmed.Length == 0 || ".!?".IndexOf(trimmed[trimmed.Length - 1]) >= 0 ? trimmed : trimmed + ".";
        }

        /// <summary>Whether the kernel killed the container for memory (asked only of failed runs).</summary>
        private static async Task<bool> OomKilledAsync(EngineClient engine, string id)
        {
            try
            {
                using var cts = new CancellationTokenSource(CleanupTimeout);
                return (await engine.Docker.Containers.InspectContainerAsync(id, cts.Token).ConfigureAwait(false)).State?.OOMKilled == true;
            }
            catch (Exception) { return false; }
        }

        /// <summary>Everything a run checks before it creates its container: the arguments, the
        /// engine, the image and the OpenFOAM environment in it.</summary>
        private static async Task<(EngineClient Engine, string ImageId, string BashRc)> PrepareAsync(
            RunSpec spec, IRunObserver observer, CancellationToken cancellationToken)
        {
            spec.Validate();
            var engine = EngineClient.For(spec.Endpoint);
            await engine.PingAsync(cancellationToken).ConfigureAwait(false);
            await FoamNetworks.EnsureExistsAsync(engine, spec.Network, cancellationToken).ConfigureAwait(false);
            if (!spec.CopiesCase && RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                // Windows paths in the form this engine mounts them (Docker Desktop, a dockerd in WSL, Windows containers).
                var info = await Call(engine, "describe itself", c => engine.Docker.System.GetSystemInfoAsync(c), cancellationToken).ConfigureAwait(false);
                spec.MountSource = HostPath.ForEngine(spec.CasePath, HostPath.FlavorOf(true, info.OperatingSystem, info.OSType), true)
                    ?? throw new FoamArgumentException(ErrorIds.InvalidCaseTransfer,
                        $"The engine at {engine.Endpoint} cannot bind-mount '{spec.CasePath}' (a network share). Use -CaseTransfer Copy (or Auto, the default), or a case on a local drive.",
                        spec.CasePath);
            }
            if (spec.Pull == PullPolicy.Always) await PullAsync(engine, spec, observer, cancellationToken).ConfigureAwait(false);
            string imageId;
            try
            {
                imageId = spec.Pull == PullPolicy.Missing
                    ? await EnvironmentProbe.ImageIdAsync(engine, spec.Image, cancellationToken).ConfigureAwait(false)
                    : await EnvironmentProbe.ImageIdOrSuggestAsync(engine, spec.Image, cancellationToken).ConfigureAwait(false);
            }
            catch (FoamImageNotFoundException) when (spec.Pull == PullPolicy.Missing)
            {
                try { await PullAsync(engine, spec, observer, cancellationToken).ConfigureAwait(false); }
                catch (FoamException e)
                {
                    // First what the user needs to know (the image is not here), then why it could not be fetched.
                    var message = $"Image '{spec.Image}' is not on the Docker engine at {engine.Endpoint}, and pulling it failed: {EndSentence(e.Message)}" +
                                  await EnvironmentProbe.SimilarLocalImagesAsync(engine, spec.Image).ConfigureAwait(false);
                    throw e is FoamImageNotFoundException ? new FoamImageNotFoundException(spec.Image, message, e) : new FoamException(e.ErrorId, e.Kind, message, spec.Image, e);
                }
                imageId = await EnvironmentProbe.ImageIdAsync(engine, spec.Image, cancellationToken).ConfigureAwait(false);
            }
            var bashRc = await EnvironmentProbe.ResolveBashRcAsync(engine, spec, imageId, observer, cancellationToken).ConfigureAwait(false);
            return (engine, imageId, bashRc);
        }

        /// <summary>How long a stopped run waits for a create request already sent, to remove what it made.</summary>
        private static readonly TimeSpan CreateGrace = TimeSpan.FromSeconds(5);

        /// <summary>
        /// Creates a container. The request itself is never cancelled: an engine that got it goes on
        /// creating the container even when the client hangs up, and a removal by name sent at once can
        /// arrive first and find nothing. Stopped meanwhile, the run waits (at most <see cref="CreateGrace"/>)
        /// for the answer and removes the container; an answer later than that is removed when it comes,
        /// and the name is also left for the engine's next ping to sweep.
        /// </summary>
        internal static async Task<CreateContainerResponse> CreateAsync(EngineClient engine, CreateContainerParameters parameters,
            IRunObserver observer, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var create = CreateOnceAsync();
            async Task<CreateContainerResponse> CreateOnceAsync()
            {
                // Bounded by the client's own request timeout: no answer is EngineUnreachable, and the container
                // the engine may still make is left for its next ping to sweep.
                try
                {
                    return await Call(engine, "create a container",
                        ct => engine.Docker.Containers.CreateContainerAsync(parameters, ct), CancellationToken.None).ConfigureAwait(false);
                }
                catch (FoamEngineUnreachableException) when (parameters.Name != null)
                {
                    engine.RemoveLater(parameters.Name);
                    throw;
                }
            }
            var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => stopped.TrySetResult(true)))
            {
                if (await Task.WhenAny(create, stopped.Task).ConfigureAwait(false) == create)
                {
                    var made = await create.ConfigureAwait(false);
                    if (!cancellationToken.IsCancellationRequested) return made;
                    await RemoveAsync(engine, made.ID, observer).ConfigureAwait(false);
                    throw new OperationCanceledException(cancellationToken);
                }
            }
            if (await Task.WhenAny(create, Task.Delay(CreateGrace)).ConfigureAwait(false) == create)
            {
                if (create.Status == System.Threading.Tasks.TaskStatus.RanToCompletion) await RemoveAsync(engine, create.Result.ID, observer).ConfigureAwait(false);
                else _ = create.Exception; // nothing was made; observed so it is not reported as unobserved
            }
            else
            {
                if (parameters.Name != null) engine.RemoveLater(parameters.Name);
                _ = create.ContinueWith(async t =>
                {
                    if (t.Status == System.Threading.Tasks.TaskStatus.RanToCompletion) await RemoveAsync(engine, t.Result.ID, NullRunObserver.Instance).ConfigureAwait(false);
                    else _ = t.Exception;
                }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            }
            throw new OperationCanceledException(cancellationToken);
        }

        /// <summary>Pulls the run's image, with the docker CLI's stored credentials for its registry.</summary>
        private static async Task PullAsync(EngineClient engine, RunSpec spec, IRunObserver observer, CancellationToken cancellationToken)
        {
            var registry = ImageReference.Registry(ImageReference.WithDefaultTag(spec.Image));
            var credentials = RegistryAuth.FromDockerConfig(registry);
            if (credentials.Warning != null) observer.Verbose(credentials.Warning);
            observer.Verbose($"Pulling {spec.Image} from {registry} (-Pull {spec.Pull}; credentials: {credentials.Source}).");
            var progress = observer.Pulling(spec.Image);
            try
            {
                await ImagePuller.PullAsync(engine, spec.Image, credentials.Auth, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                progress.Completed();
            }
        }

        /// <summary>Force-removes a container (kills it first if it runs), whatever the caller's token says.</summary>
        internal static async Task RemoveAsync(EngineClient engine, string id, IRunObserver observer)
        {
            using var cts = new CancellationTokenSource(CleanupTimeout);
            try
            {
                await engine.Docker.Containers.RemoveContainerAsync(id,
                    new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cts.Token).ConfigureAwait(false);
                observer.Verbose($"Removed container {id.Substring(0, 12)}.");
            }
            catch (DockerContainerNotFoundException) { }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // The engine is gone (killed, restarting, network down): the next call that finds it
                // answering removes the container (EngineClient.PingAsync), so nothing is left behind.
                engine.RemoveLater(id);
                observer.Warning($"Could not remove container {Short(id)} ({ErrorTranslation.Describe(e)}); FoamPS removes it when the engine at {engine.Endpoint} answers again (or: docker rm -f {Short(id)}).");
            }
        }

        private static string Short(string id) => id.Length > 12 ? id.Substring(0, 12) : id;

        /// <summary>Runs one engine call, translating what it throws.</summary>
        internal static async Task<T> Call<T>(EngineClient engine, string doing, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested)
            {
                if (e is OperationCanceledException) throw new FoamEngineUnreachableException(engine.Endpoint.ToString(), $"no answer while trying to {doing}", e);
                throw ErrorTranslation.Translate(e, engine.Endpoint, doing);
            }
        }

        internal static Task Call(EngineClient engine, string doing, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
            Call<bool>(engine, doing, async ct => { await call(ct).ConfigureAwait(false); return true; }, cancellationToken);
    }
}
