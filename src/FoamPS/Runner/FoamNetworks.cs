using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;

namespace FoamPS.Runner
{
    /// <summary>User-defined bridge networks labelled as FoamPS's, for containers that talk to each other by name.</summary>
    public static class FoamNetworks
    {
        public const string Label = "foamps.network";

        private static readonly Regex ValidName = new Regex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant);

        /// <summary>Names the engine keeps for itself; FoamPS never makes or removes them.</summary>
        private static readonly string[] Reserved = { "none", "bridge", "host", "default" };

        public static void ValidateName(string name)
        {
            if (!ValidName.IsMatch(name) || Reserved.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new FoamArgumentException(ErrorIds.InvalidNetworkName,
                    $"'{name}' cannot be a FoamPS network name: use letters, digits, '_', '.' and '-', starting with a letter or digit, and not none, bridge, host or default.", name);
        }

        public static async Task<FoamNetwork> CreateAsync(EngineClient engine, string name, bool isInternal, CancellationToken ct)
        {
            ValidateName(name);
            await engine.PingAsync(ct).ConfigureAwait(false);
            // By name only: a new name that happens to start some network's id is still free.
            var all = await FoamRunner.Call(engine, "list networks", c => engine.Docker.Networks.ListNetworksAsync(new NetworksListParameters(), c), ct).ConfigureAwait(false);
            var existing = all.FirstOrDefault(n => n.Name == name);
            if (existing != null)
                throw new FoamException(ErrorIds.NetworkExists, FoamErrorKind.ResourceExists,
                    $"A network named '{name}' already exists on {engine.Endpoint} (id {Short(existing.ID)}). Use it with -Network {name}, or remove it first.", name);
            var created = await FoamRunner.Call(engine, $"create the network '{name}'",
                c => engine.Docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
                {
                    Name = name,
                    Driver = "bridge",
                    Internal = isInternal,
                    Labels = new Dictionary<string, string>
                    {
                        [Label] = "true",
                        [ContainerSpec.LabelOwner] = HostIdentity.Owner,
                    },
                }, c), ct).ConfigureAwait(false);
            var made = await InspectAsync(engine, created.ID, ct).ConfigureAwait(false)
                ?? throw new FoamException(ErrorIds.NetworkNotFound, FoamErrorKind.ObjectNotFound, $"The network '{name}' vanished right after it was made.", name);
            return Describe(engine, made);
        }

        /// <summary>FoamPS networks (or every network with <paramref name="all"/>), newest first.</summary>
        public static async Task<IReadOnlyList<FoamNetwork>> ListAsync(EngineClient engine, bool all, CancellationToken ct)
        {
            await engine.PingAsync(ct).ConfigureAwait(false);
            var parameters = new NetworksListParameters();
            if (!all) parameters.Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [Label + "=true"] = true } };
            var list = await FoamRunner.Call(engine, "list networks", c => engine.Docker.Networks.ListNetworksAsync(parameters, c), ct).ConfigureAwait(false);
            // The list does not say which containers are attached; inspect each.
            var described = await Task.WhenAll(list.Select(n => InspectAsync(engine, n.ID, ct))).ConfigureAwait(false);
            return described.Where(n => n != null).Select(n => Describe(engine, n!)).OrderByDescending(n => n.Created).ToList();
        }

        /// <summary>The FoamPS network with this name or id; NetworkNotFound otherwise (also for networks FoamPS did not make).</summary>
        public static async Task<FoamNetwork> ResolveAsync(EngineClient engine, string nameOrId, CancellationToken ct)
        {
            await engine.PingAsync(ct).ConfigureAwait(false);
            var found = await FindAsync(engine, nameOrId, ct).ConfigureAwait(false);
            if (found == null)
                throw new FoamException(ErrorIds.NetworkNotFound, FoamErrorKind.ObjectNotFound,
                    $"There is no network '{nameOrId}' on {engine.Endpoint}.", nameOrId);
            if (found.Labels == null || !found.Labels.ContainsKey(Label))
                throw new FoamException(ErrorIds.NetworkNotFound, FoamErrorKind.ObjectNotFound,
                    $"The network '{found.Name}' on {engine.Endpoint} was not made by New-FoamNetwork; FoamPS leaves it alone (use 'docker network rm').", nameOrId);
            return Describe(engine, found);
        }

        /// <summary>Removes a FoamPS network; with <paramref name="force"/> its containers are disconnected first, else NetworkInUse.</summary>
        public static async Task RemoveAsync(EngineClient engine, FoamNetwork network, bool force, CancellationToken ct)
        {
            var live = await InspectAsync(engine, network.Id, ct).ConfigureAwait(false);
            if (live == null) return;
            var attached = live.Containers ?? new Dictionary<string, EndpointResource>();
            if (attached.Count > 0 && !force)
                throw new FoamException(ErrorIds.NetworkInUse, FoamErrorKind.ResourceUnavailable,
                    $"The network '{network.Name}' still has containers attached ({string.Join(", ", attached.Values.Select(v => v.Name))}). Remove them first, or use -Force to disconnect them.", network.Name);
            foreach (var id in attached.Keys)
            {
                try
                {
                    await engine.Docker.Networks.DisconnectNetworkAsync(network.Id, new NetworkDisconnectParameters { Container = id, Force = true }, ct).ConfigureAwait(false);
                }
                catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { /* the container went meanwhile */ }
                catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
                {
                    throw ErrorTranslation.Translate(e, engine.Endpoint, $"disconnect a container from '{network.Name}'");
                }
            }
            await FoamRunner.Call(engine, $"remove the network '{network.Name}'", c => engine.Docker.Networks.DeleteNetworkAsync(network.Id, c), ct).ConfigureAwait(false);
        }

        /// <summary>A run's -Network must exist (the engine's own none, bridge, host, and container:NAME are taken as they are): NetworkNotFound otherwise, before anything is created.</summary>
        public static async Task EnsureExistsAsync(EngineClient engine, string network, CancellationToken ct)
        {
            if (Reserved.Contains(network, StringComparer.Ordinal) || network.StartsWith("container:", StringComparison.Ordinal)) return;
            if (await FindAsync(engine, network, ct).ConfigureAwait(false) == null)
                throw new FoamException(ErrorIds.NetworkNotFound, FoamErrorKind.ObjectNotFound,
                    $"There is no network '{network}' on {engine.Endpoint}. Make it with New-FoamNetwork -Name {network}, or use -Network none or bridge.", network);
        }

        /// <summary>An exact name, else an id or unique id prefix; null when there is none.</summary>
        private static async Task<NetworkResponse?> FindAsync(EngineClient engine, string nameOrId, CancellationToken ct)
        {
            var all = await FoamRunner.Call(engine, "list networks", c => engine.Docker.Networks.ListNetworksAsync(new NetworksListParameters(), c), ct).ConfigureAwait(false);
            var hit = all.FirstOrDefault(n => n.Name == nameOrId) ?? all.FirstOrDefault(n => n.ID == nameOrId);
            if (hit == null && nameOrId.Length >= 4)
            {
                var byPrefix = all.Where(n => n.ID.StartsWith(nameOrId, StringComparison.OrdinalIgnoreCase)).ToList();
                if (byPrefix.Count == 1) hit = byPrefix[0];
            }
            return hit == null ? null : await InspectAsync(engine, hit.ID, ct).ConfigureAwait(false);
        }

        private static async Task<NetworkResponse?> InspectAsync(EngineClient engine, string id, CancellationToken ct)
        {
            try
            {
                return await engine.Docker.Networks.InspectNetworkAsync(id, ct).ConfigureAwait(false);
            }
            catch (DockerNetworkNotFoundException) { return null; }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound) { return null; }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, "inspect a network");
            }
        }

        private static FoamNetwork Describe(EngineClient engine, NetworkResponse n) => new FoamNetwork
        {
            Name = n.Name,
            Id = n.ID,
            Driver = n.Driver,
            Internal = n.Internal,
            Subnets = n.IPAM?.Config?.Select(c => c.Subnet ?? "").Where(s => s.Length > 0).ToArray() ?? Array.Empty<string>(),
            Created = n.Created.ToLocalTime(),
            Containers = n.Containers?.Values.Select(v => v.Name).OrderBy(v => v, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>(),
            Owner = n.Labels != null && n.Labels.TryGetValue(ContainerSpec.LabelOwner, out var o) ? o : "",
            DockerHost = engine.Endpoint.ToString(),
        };

        private static string Short(string id) => id.Length > 12 ? id.Substring(0, 12) : id;
    }
}
