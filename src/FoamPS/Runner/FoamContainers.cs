using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;

namespace FoamPS.Runner
{
    /// <summary>Finds FoamPS's containers (by their labels) and describes them as FoamContainer.</summary>
    public static class FoamContainers
    {
        /// <summary>Every FoamPS container on the engine; running ones only unless <paramref name="all"/>.</summary>
        public static async Task<IReadOnlyList<FoamContainer>> ListAsync(EngineClient engine, bool all, string? casePath, CancellationToken ct)
        {
            var labels = new Dictionary<string, bool> { [ContainerSpec.LabelOwner] = true };
            if (casePath != null) labels[ContainerSpec.LabelCase + "=" + casePath] = true;
            var filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
            IList<ContainerListResponse> listed;
            try
            {
                listed = await engine.Docker.Containers.ListContainersAsync(
                    new ContainersListParameters { All = all, Filters = filters }, ct).ConfigureAwait(false);
            }
            catch (Exception e) { throw ErrorTranslation.Translate(e, engine.Endpoint, "list containers"); }

            // Inspect concurrently: only inspect tells when a container started and finished.
            var inspected = await Task.WhenAll(listed.Select(c => TryInspectAsync(engine, c.ID, ct))).ConfigureAwait(false);
            return inspected.Where(c => c != null).Select(c => c!).OrderBy(c => c.Created).ToList();
        }

        /// <summary>The FoamPS container with this id (or id prefix) or name; ContainerNotFound otherwise.</summary>
        public static async Task<FoamContainer> ResolveAsync(EngineClient engine, string idOrName, CancellationToken ct)
        {
            var found = string.IsNullOrWhiteSpace(idOrName) ? null : await TryInspectAsync(engine, idOrName.Trim(), ct).ConfigureAwait(false);
            return found ?? throw new FoamException(ErrorIds.ContainerNotFound, FoamErrorKind.ObjectNotFound,
                $"No FoamPS container '{idOrName}' on the Docker engine at {engine.Endpoint}. List them with Get-FoamContainer -All.", idOrName);
        }

        private static async Task<FoamContainer?> TryInspectAsync(EngineClient engine, string idOrName, CancellationToken ct)
        {
            try
            {
                var inspect = await engine.Docker.Containers.InspectContainerAsync(idOrName, ct).ConfigureAwait(false);
                return inspect.Config?.Labels != null && inspect.Config.Labels.ContainsKey(ContainerSpec.LabelOwner)
                    ? FromInspect(inspect, engine.Endpoint)
                    : null;
            }
            catch (DockerContainerNotFoundException) { return null; }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
            catch (Exception e) { throw ErrorTranslation.Translate(e, engine.Endpoint, $"inspect the container '{idOrName}'"); }
        }

        public static FoamContainer FromInspect(ContainerInspectResponse inspect, DockerEndpoint endpoint)
        {
            var labels = inspect.Config?.Labels ?? new Dictionary<string, string>();
            string Label(string key) => labels.TryGetValue(key, out var v) ? v : "";
            var state = inspect.State;
            var running = state?.Running == true;
            var log = Label(ContainerSpec.LabelLog);
            return new FoamContainer
            {
                Id = inspect.ID,
                Name = (inspect.Name ?? "").TrimStart('/'),
                Case = Label(ContainerSpec.LabelCase),
                Command = Label(ContainerSpec.LabelCommand),
                Application = Label(ContainerSpec.LabelApplication),
                Image = Label(ContainerSpec.LabelImage) is { Length: > 0 } image ? image : inspect.Config?.Image ?? "",
                State = state?.Status ?? "",
                Status = Describe(state),
                Created = inspect.Created.ToLocalTime(),
                StartedAt = ParseTime(state?.StartedAt),
                FinishedAt = running ? null : ParseTime(state?.FinishedAt),
                ExitCode = state == null || running || state.Status == "created" ? null : state.ExitCode,
                LogPath = log.Length > 0 ? log : null,
                Detached = Label(ContainerSpec.LabelDetached) == "true",
                OutOfMemory = state?.OOMKilled == true,
                Owner = Label(ContainerSpec.LabelOwner),
                User = inspect.Config?.User ?? "",
                DockerHost = endpoint.ToString(),
            };
        }

        /// <summary>
        /// True for a container of an attached run (or probe) whose owning PowerShell process on
        /// this machine is gone: nobody will remove it. Detached runs are never orphans.
        /// </summary>
        public static bool IsOrphan(FoamContainer container)
        {
            if (container.Detached) return false;
            var owner = container.Owner;
            var colon = owner.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(owner.Substring(colon + 1), out var pid)) return false;
            if (!string.Equals(owner.Substring(0, colon), Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return false;
            try
            {
                using var process = Process.GetProcessById(pid);
                // A live process that started after the container was created reuses the pid.
                return process.HasExited || process.StartTime > container.Created.AddSeconds(1);
            }
            catch (ArgumentException) { return true; }
            catch (InvalidOperationException) { return true; }
        }

        private static DateTime? ParseTime(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.StartsWith("0001-01-01", StringComparison.Ordinal)) return null;
            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                ? t.ToLocalTime()
                : null;
        }

        /// <summary>"Up 5 minutes", "Exited (0) 2 seconds ago", like the docker CLI.</summary>
        private static string Describe(State? state)
        {
            if (state == null) return "";
            if (state.Running) return "Up " + Ago(ParseTime(state.StartedAt));
            if (state.Status == "exited")
                return $"Exited ({state.ExitCode}) {Ago(ParseTime(state.FinishedAt))} ago" + (state.OOMKilled ? ", out of memory" : "");
            return state.Status ?? "";
        }

        private static string Ago(DateTime? since)
        {
            if (since == null) return "";
            var span = DateTime.Now - since.Value;
            if (span.TotalSeconds < 60) return $"{Math.Max(0, (int)span.TotalSeconds)} seconds";
            if (span.TotalMinutes < 60) return $"{(int)span.TotalMinutes} minutes";
            if (span.TotalHours < 48) return $"{(int)span.TotalHours} hours";
            return $"{(int)span.TotalDays} days";
        }
    }
}
