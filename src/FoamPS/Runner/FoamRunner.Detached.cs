using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    public static partial class FoamRunner
    {
        /// <summary>
        /// Starts the command detached: the container writes its own log into the case, runs on
        /// when this process ends, and is not removed. Returns once it has started.
        /// </summary>
        public static async Task<FoamContainer> StartDetachedAsync(RunSpec spec, IRunObserver observer, CancellationToken cancellationToken)
        {
            var logInContainer = spec.NoLog ? "/dev/null" : LogInContainer(spec);
            var (engine, imageId, bashRc) = await PrepareAsync(spec, observer, cancellationToken).ConfigureAwait(false);
            var parameters = ContainerSpec.ForRun(spec, imageId, bashRc, logInContainer);
            string? id = null;
            var started = false;
            try
            {
                var created = await CreateAsync(engine, parameters, observer, cancellationToken).ConfigureAwait(false);
                id = created.ID;
                await Call(engine, "start the container",
                    ct => engine.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct),
                    cancellationToken).ConfigureAwait(false);
                started = true;
                observer.Verbose($"Started container {created.ID.Substring(0, 12)} ({parameters.Name}) detached for '{spec.CommandLine}' in {spec.CasePath}; log: {spec.EffectiveLogPath ?? "none"}.");
                return await FoamContainers.ResolveAsync(engine, created.ID, CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (!started && id != null) await RemoveAsync(engine, id, observer).ConfigureAwait(false);
            }
        }

        /// <summary>Where a detached run's log is inside the container; it must be in the case.</summary>
        private static string LogInContainer(RunSpec spec)
        {
            var log = spec.EffectiveLogPath!;
            var prefix = spec.CasePath.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (!log.StartsWith(prefix, StringComparison.Ordinal))
                throw new FoamArgumentException(ErrorIds.LogOutsideCase,
                    $"A detached run writes its log from inside the container, so -LogPath must be in the case directory '{spec.CasePath}', not '{log}'.", log);
            var directory = Path.GetDirectoryName(log);
            if (directory == null || !Directory.Exists(directory))
                throw new FoamException(ErrorIds.LogNotWritable, FoamErrorKind.WriteError,
                    $"Cannot write the log file '{log}': its directory does not exist.", log);
            return FoamEnvironment.CaseMount + "/" + log.Substring(prefix.Length).Replace('\\', '/');
        }

        /// <summary>
        /// Waits for a container to exit and describes the run like an attached one. A non-zero
        /// exit sets Failure; a timeout throws WaitTimeout and leaves the container running.
        /// </summary>
        public static async Task<FoamRunResult> WaitAsync(EngineClient engine, FoamContainer container, TimeSpan? timeout, CancellationToken cancellationToken)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout is TimeSpan t) limit.CancelAfter(t);
            try
            {
                await engine.Docker.Containers.WaitContainerAsync(container.Id, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FoamException(ErrorIds.WaitTimeout, FoamErrorKind.OperationTimeout,
                    $"Container {container} ('{container.Command}' in {container.Case}) was still running after {timeout?.TotalSeconds:0.#} s. It runs on; wait again, or stop it with Stop-FoamContainer.",
                    container);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, $"wait for the container {container}");
            }

            var done = await FoamContainers.ResolveAsync(engine, container.Id, cancellationToken).ConfigureAwait(false);
            var start = done.StartedAt ?? done.Created;
            var end = done.FinishedAt ?? DateTime.Now;
            var result = new FoamRunResult
            {
                Case = done.Case,
                Command = done.Command,
                Application = done.Application,
                Image = done.Image,
                ContainerId = done.Id,
                ContainerName = done.Name,
                ExitCode = done.ExitCode ?? -1,
                Succeeded = done.ExitCode == 0,
                StartTime = start,
                EndTime = end,
                Duration = end - start,
                LogPath = done.LogPath,
                User = done.User,
                DockerHost = done.DockerHost,
            };
            var tail = ReadTail(result.LogPath);
            result.OutputBytes = tail.Written;
            if (!result.Succeeded) result.Failure = Failure(result, tail, done.OutOfMemory);
            return result;
        }

        /// <summary>The last bytes of a log file on this machine (empty when it cannot be read).</summary>
        internal static LogTail ReadTail(string? path)
        {
            var tail = new LogTail();
            if (path == null || !File.Exists(path)) return tail;
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var keep = (int)Math.Min(file.Length, 64 * 1024);
                file.Seek(-keep, SeekOrigin.End);
                var buffer = new byte[keep];
                var read = 0;
                while (read < keep) { var n = file.Read(buffer, read, keep - read); if (n == 0) break; read += n; }
                tail.Skip(file.Length - read);
                tail.Append(buffer, 0, read);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return tail;
        }

        /// <summary>Stops a container: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
        public static async Task StopAsync(EngineClient engine, FoamContainer container, TimeSpan grace, CancellationToken cancellationToken)
        {
            try
            {
                await engine.Docker.Containers.StopContainerAsync(container.Id,
                    new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
                throw new FoamException(ErrorIds.ContainerNotFound, FoamErrorKind.ObjectNotFound,
                    $"Container {container} is gone.", container);
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, $"stop the container {container}");
            }
        }

        /// <summary>Removes a container; a running one only with <paramref name="force"/>.</summary>
        public static async Task RemoveContainerAsync(EngineClient engine, FoamContainer container, bool force, CancellationToken cancellationToken)
        {
            if (container.State == "running" && !force)
                throw new FoamException(ErrorIds.ContainerRunning, FoamErrorKind.InvalidOperation,
                    $"Container {container} ('{container.Command}' in {container.Case}) is running. Stop it with Stop-FoamContainer, or use -Force to kill and remove it.",
                    container);
            try
            {
                await engine.Docker.Containers.RemoveContainerAsync(container.Id,
                    new ContainerRemoveParameters { Force = force, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException) { }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, $"remove the container {container}");
            }
        }
    }
}
