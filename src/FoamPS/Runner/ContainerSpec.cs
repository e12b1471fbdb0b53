using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Docker.DotNet.Models;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>Builds the engine's create-container request for a run or a probe.</summary>
    internal static class ContainerSpec
    {
        public const string LabelCase = "foamps.case";
        public const string LabelCommand = "foamps.command";
        public const string LabelApplication = "foamps.application";
        public const string LabelOwner = "foamps.owner";
        public const string LabelVersion = "foamps.version";
        public const string LabelLog = "foamps.log";
        public const string LabelImage = "foamps.image";
        public const string LabelDetached = "foamps.detached";
        public const string LabelTransfer = "foamps.transfer";

        private static readonly string ModuleVersion =
            typeof(ContainerSpec).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        /// <summary>A run container. With logInContainer (detached runs) the container writes the log itself.</summary>
        public static CreateContainerParameters ForRun(RunSpec spec, string imageId, string bashRc, string? logInContainer = null)
        {
            var env = RunEnvironment(spec);

            return new CreateContainerParameters
            {
                Name = Name(spec),
                Image = imageId,
                Entrypoint = FoamEnvironment.RunEntrypoint(spec.CommandLine, bashRc, logInContainer),
                Cmd = new List<string>(),
                WorkingDir = FoamEnvironment.CaseMount,
                User = spec.EffectiveUser,
                Env = env.Select(kv => kv.Key + "=" + kv.Value).ToList(),
                AttachStdout = true,
                AttachStderr = true,
                Tty = false,
                Labels = RunLabels(spec, logInContainer != null),
                HostConfig = new HostConfig
                {
                    // Copied cases arrive through the archive API instead (FoamRunner.SendCaseAsync).
                    Mounts = spec.CopiesCase
                        ? new List<Mount>()
                        : new List<Mount> { new Mount { Type = "bind", Source = spec.MountSource ?? spec.CasePath, Target = FoamEnvironment.CaseMount, ReadOnly = false } },
                    // The runner streams the output itself; the engine's json-file copy would only
                    // cost time and disk (it is most of `docker run`'s cost on heavy output).
                    LogConfig = new LogConfig { Type = "none" },
                    Init = true,
                    Memory = spec.MemoryBytes ?? 0,
                    MemorySwap = spec.MemoryBytes ?? 0,
                    NanoCPUs = spec.Cpus is double cpus ? (long)(cpus * 1e9) : 0,
                    CpusetCpus = spec.CpusetCpus ?? "",
                    ShmSize = spec.ShmSizeBytes ?? 0,
                    NetworkMode = spec.Network,
                },
            };
        }

        /// <summary>The environment of a run: a writable HOME, OpenMPI allowed as root, then the user's variables.</summary>
        public static IDictionary<string, string> RunEnvironment(RunSpec spec)
        {
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HOME"] = FoamEnvironment.RunHome,
                // OpenMPI refuses to run as root unless told; runs as root are the user's choice.
                ["OMPI_ALLOW_RUN_AS_ROOT"] = "1",
                ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1",
            };
            foreach (var kv in spec.Environment) env[kv.Key] = kv.Value;
            return env;
        }

        /// <summary>The application label of session containers.</summary>
        public const string SessionApplication = "foamps-session";

        /// <summary>
        /// A session container: `sleep infinity` as PID 1 (no init), so stopping a session's commands
        /// with kill -1 never ends the session itself; labelled like a run, with the session application.
        /// </summary>
        public static CreateContainerParameters ForSession(RunSpec spec, string imageId, string bashRc)
        {
            var p = ForRun(spec, imageId, bashRc);
            p.Name = "foamps-session-" + Guid.NewGuid().ToString("N").Substring(0, 12);
            p.Entrypoint = new List<string> { "sleep", "infinity" };
            p.HostConfig!.Init = false;
            p.Labels!["foamps.application"] = SessionApplication;
            p.Labels[LabelCommand] = "session";
            p.Labels[LabelLog] = "";
            return p;
        }

        public static CreateContainerParameters ForProbe(string imageId, string? bashRc, string image) =>
            ForScript(imageId, FoamEnvironment.ProbeEntrypoint(bashRc), image);

        /// <summary>A short-lived helper container (no network, no log driver) that runs <paramref name="entrypoint"/>.</summary>
        public static CreateContainerParameters ForScript(string imageId, IList<string> entrypoint, string image) =>
            new CreateContainerParameters
            {
                Name = "foamps-probe-" + Guid.NewGuid().ToString("N").Substring(0, 12),
                Image = imageId,
                Entrypoint = entrypoint,
                Cmd = new List<string>(),
                AttachStdout = true,
                AttachStderr = true,
                Labels = Labels("", "probe " + image, "probe", image),
                NetworkDisabled = true,
                HostConfig = new HostConfig { LogConfig = new LogConfig { Type = "none" } },
            };

        private static IDictionary<string, string> RunLabels(RunSpec spec, bool detached)
        {
            var labels = Labels(spec.CasePath, spec.CommandLine, spec.Application, spec.Image);
            labels[LabelDetached] = detached ? "true" : "false";
            labels[LabelLog] = spec.EffectiveLogPath ?? "";
            labels[LabelTransfer] = spec.CopiesCase ? "copy" : "bind";
            return labels;
        }

        private static IDictionary<string, string> Labels(string casePath, string command, string application, string image) =>
            new Dictionary<string, string>
            {
                [LabelCase] = casePath,
                [LabelCommand] = command,
                [LabelApplication] = application,
                [LabelImage] = image,
                [LabelOwner] = HostIdentity.Owner,
                [LabelVersion] = ModuleVersion,
            };

        /// <summary>foamps-&lt;case&gt;-&lt;application&gt;-&lt;random&gt;, in the characters the engine allows.</summary>
        private static string Name(RunSpec spec)
        {
            var caseName = System.IO.Path.GetFileName(spec.CasePath.TrimEnd('/', '\\'));
            var sb = new StringBuilder("foamps-");
            foreach (var c in caseName + "-" + spec.Application)
            {
                if (sb.Length >= 48) break;
                sb.Append(c < 128 && (char.IsLetterOrDigit(c) || c is '_' or '.' or '-') ? c : '_');
            }
            sb.Append('-').Append(Guid.NewGuid().ToString("N").Substring(0, 8));
            return sb.ToString();
        }
    }
}
