using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
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
        /// <summary>Starts a session: one container on the case that idles until commands are exec'd into it.</summary>
        public static async Task<FoamSession> StartSessionAsync(RunSpec spec, IRunObserver observer, CancellationToken cancellationToken)
        {
            var (engine, imageId, bashRc) = await PrepareAsync(spec, observer, cancellationToken).ConfigureAwait(false);
            var parameters = ContainerSpec.ForSession(spec, imageId, bashRc);
            string? id = null;
            var started = false;
            try
            {
                var created = await CreateAsync(engine, parameters, observer, cancellationToken).ConfigureAwait(false);
                id = created.ID;
                await Call(engine, "start the session container",
                    ct => engine.Docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct), cancellationToken).ConfigureAwait(false);
                started = true;
                observer.Verbose($"Started session {parameters.Name} on {spec.CasePath} (image {spec.Image}).");
                return FoamSessions.From(await FoamContainers.ResolveAsync(engine, created.ID, CancellationToken.None).ConfigureAwait(false));
            }
            finally
            {
                if (!started && id != null) await RemoveAsync(engine, id, observer).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Runs a command in a session through exec: the same script, log, result and errors as a
        /// run in a fresh container, without creating one. Stopped, it ends the session's running
        /// commands (kill -TERM -1 from inside the session).
        /// </summary>
        public static async Task<FoamRunResult> ExecAsync(FoamSession session, RunSpec spec, IRunObserver observer, CancellationToken cancellationToken)
        {
            spec.Validate();
            var engine = EngineClient.For(spec.Endpoint);
            var relative = FoamSessions.RelativeCase(session, spec.CasePath);
            var imageId = await EnvironmentProbe.ImageIdAsync(engine, session.Image, cancellationToken).ConfigureAwait(false);
            var bashRc = await EnvironmentProbe.ResolveBashRcAsync(engine, spec, imageId, observer, cancellationToken).ConfigureAwait(false);
            var result = new FoamRunResult
            {
                Case = spec.CasePath, Command = spec.CommandLine, Application = spec.Application, Image = session.Image,
                User = spec.User ?? session.User, BashRc = bashRc, LogPath = spec.EffectiveLogPath, DockerHost = engine.Endpoint.ToString(),
                ContainerId = session.Id, ContainerName = session.Name, ExitCode = -1,
            };
            var env = ContainerSpec.RunEnvironment(spec).Select(kv => kv.Key + "=" + kv.Value).ToList();
            var exec = await Call(engine, "create an exec in the session", ct => engine.Docker.Exec.CreateContainerExecAsync(session.Id,
                new ContainerExecCreateParameters
                {
                    Cmd = FoamEnvironment.RunEntrypoint(spec.CommandLine, bashRc, null, FoamEnvironment.CaseMount + relative),
                    User = spec.User ?? session.User, Env = env, AttachStdout = true, AttachStderr = true,
                }, ct), cancellationToken).ConfigureAwait(false);
            result.StartTime = DateTime.Now;
            var clock = Stopwatch.StartNew();
            try
            {
                using var stream = await Call(engine, "start the exec",
                    ct => engine.Docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), ct), cancellationToken).ConfigureAwait(false);
                var logWasNew = IsNewLog(result.LogPath);
                using var log = OpenLog(result.LogPath, spec.User ?? session.User ?? "", session.Case);
                var tail = new LogTail();
                await Call(engine, "read the command's output",
                    ct => new OutputPump(stream, log, tail, observer, new SolverProgress(ControlDict.ReadCase(spec.CasePath))).RunAsync(ct),
                    cancellationToken).ConfigureAwait(false);
                var inspect = await Call(engine, "inspect the exec", ct => engine.Docker.Exec.InspectContainerExecAsync(exec.ID, ct), cancellationToken).ConfigureAwait(false);
                while (inspect.Running)
                {
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                    inspect = await Call(engine, "inspect the exec", ct => engine.Docker.Exec.InspectContainerExecAsync(exec.ID, ct), cancellationToken).ConfigureAwait(false);
                }
                clock.Stop();
                result.Duration = clock.Elapsed;
                result.EndTime = result.StartTime + clock.Elapsed;
                result.ExitCode = inspect.ExitCode ?? -1;
                result.Succeeded = result.ExitCode == 0;
                result.OutputBytes = tail.Written;
                if (!result.Succeeded) result.Failure = Failure(result, tail, false, session.Case, logWasNew);
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await StopSessionCommandsAsync(engine, session, spec.User ?? session.User).ConfigureAwait(false);
                throw;
            }
        }

        private static async Task StopSessionCommandsAsync(EngineClient engine, FoamSession session, string user)
        {
            try
            {
                using var cts = new CancellationTokenSource(CleanupTimeout);
                var kill = await engine.Docker.Exec.CreateContainerExecAsync(session.Id, new ContainerExecCreateParameters
                {
                    Cmd = new List<string> { "/bin/sh", "-c", "kill -TERM -1 2>/dev/null; sleep 1; kill -KILL -1 2>/dev/null; true" }, User = user,
                }, cts.Token).ConfigureAwait(false);
                using var s = await engine.Docker.Exec.StartContainerExecAsync(kill.ID, new ContainerExecStartParameters(), cts.Token).ConfigureAwait(false);
                await s.ReadOutputToEndAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception) { /* the session may be gone: nothing left to stop */ }
        }
    }
}
