using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Engine;
using FoamPS.Foam;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Shared rules of FoamPS's completers: never throw, never wait more than a second for the engine.</summary>
    internal static class Completion
    {
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

        public static EngineClient? Engine(IDictionary bound)
        {
            try
            {
                var options = FoamCmdlet.EngineOptionsFrom(bound["DockerHost"] as string, bound["Context"] as string, bound["TlsCertPath"] as string,
                    bound["TlsSkipVerify"] is SwitchParameter s ? s.IsPresent : bound["TlsSkipVerify"] is bool b && b, null);
                return EngineClient.For(DockerEndpoint.Resolve(options));
            }
            catch (Exception) { return null; }
        }

        /// <summary>Runs an engine query for at most a second; null when it takes longer or fails.</summary>
        public static T? Within<T>(Func<CancellationToken, Task<T>> query) where T : class
        {
            using var cts = new CancellationTokenSource(Patience);
            try
            {
                // Started off this thread: a transport may block before its first await (proxy lookup, connect).
                var task = Task.Run(() => query(cts.Token));
                return task.Wait(Patience) && task.Status == TaskStatus.RanToCompletion ? task.Result : null;
            }
            catch (Exception) { return null; }
        }

        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string word, Func<string, string>? tooltip = null)
        {
            var prefix = word.Trim('\'', '"');
            return values.Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .Select(v => new CompletionResult(v.IndexOfAny(new[] { ' ', '$', '\'', '`' }) >= 0 ? "'" + v.Replace("'", "''") + "'" : v,
                    v, CompletionResultType.ParameterValue, tooltip?.Invoke(v) ?? v));
        }
    }

    /// <summary>Completes -Image with the engine's local images.</summary>
    public sealed class ImageCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var engine = Completion.Engine(fakeBoundParameters);
                var images = engine == null ? null : Completion.Within(ct => FoamImages.ListAsync(engine, ct));
                if (images == null) return Array.Empty<CompletionResult>();
                return Completion.Matching(images.SelectMany(i => i.RepoTags ?? new List<string>()).Where(t => t != "<none>:<none>").OrderBy(t => t), wordToComplete);
            }
            catch (Exception) { return Array.Empty<CompletionResult>(); }
        }
    }

    /// <summary>Completes container ids (and names) with FoamPS's containers.</summary>
    public sealed class ContainerCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var engine = Completion.Engine(fakeBoundParameters);
                var containers = engine == null ? null : Completion.Within(ct => FoamContainers.ListAsync(engine, true, null, ct));
                if (containers == null) return Array.Empty<CompletionResult>();
                var byValue = containers.ToDictionary(c => c.Id.Substring(0, 12), c => c);
                var names = containers.ToDictionary(c => c.Name, c => c);
                return Completion.Matching(byValue.Keys.Concat(names.Keys), wordToComplete,
                    v => byValue.TryGetValue(v, out var c) || names.TryGetValue(v, out c) ? $"{c.Name} {c.State}: {c.Command} in {c.Case}" : v);
            }
            catch (Exception) { return Array.Empty<CompletionResult>(); }
        }
    }

    /// <summary>
    /// Completes -Command: the case's application from system/controlDict first, then OpenFOAM's
    /// common solvers and utilities.
    /// </summary>
    public sealed class CommandCompleter : IArgumentCompleter
    {
        private static IReadOnlyList<string> Known => Foam.OpenFoamApplications.Common;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var first = new List<string>();
                if (fakeBoundParameters["Path"] is string path && ControlDict.ReadCase(System.IO.Path.GetFullPath(path))?.Application is string app)
                    first.Add(app);
                return Completion.Matching(first.Concat(Known), wordToComplete);
            }
            catch (Exception) { return Array.Empty<CompletionResult>(); }
        }
    }

    /// <summary>Completes -Context with the docker CLI's contexts (from $env:DOCKER_CONFIG or ~/.docker).</summary>
    public sealed class ContextCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                return Completion.Matching(DockerContexts.List(DockerContexts.ConfigDirectory(Environment.GetEnvironmentVariable)), wordToComplete);
            }
            catch (Exception) { return Array.Empty<CompletionResult>(); }
        }
    }

    /// <summary>Completes network names with the FoamPS networks on the engine.</summary>
    public sealed class NetworkCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                var engine = Completion.Engine(fakeBoundParameters);
                var networks = engine == null ? null : Completion.Within(ct => FoamNetworks.ListAsync(engine, false, ct));
                if (networks == null) return Array.Empty<CompletionResult>();
                return Completion.Matching(networks.Select(n => n.Name).OrderBy(n => n, StringComparer.Ordinal), wordToComplete);
            }
            catch (Exception) { return Array.Empty<CompletionResult>(); }
        }
    }
}
