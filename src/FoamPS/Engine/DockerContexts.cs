using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FoamPS.Engine
{
    /// <summary>A docker CLI context: its engine host and TLS material.</summary>
    public sealed class DockerContext
    {
        public string Name { get; set; } = "";
        public string Host { get; set; } = "";
        public bool SkipTlsVerify { get; set; }

        /// <summary>The context's TLS directory (ca.pem, cert.pem, key.pem), when it has one.</summary>
        public string? TlsPath { get; set; }
    }

    /// <summary>
    /// Reads the docker CLI's context store: $DOCKER_CONFIG (else ~/.docker)/contexts/meta/&lt;sha256 of the
    /// name&gt;/meta.json and contexts/tls/&lt;sha256&gt;/docker/*.pem; the current context is config.json's
    /// currentContext. Docker.DotNet resolves a context's host but not its TLS files, hence this reader.
    /// </summary>
    public static class DockerContexts
    {
        public static string ConfigDirectory(Func<string, string?> env) =>
            env("DOCKER_CONFIG") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");

        /// <summary>config.json's currentContext, or null (no file, no entry, unreadable).</summary>
        public static string? CurrentContext(string configDirectory)
        {
            var file = Path.Combine(configDirectory, "config.json");
            if (!File.Exists(file)) return null;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                return doc.RootElement.ValueKind == JsonValueKind.Object &&
                       doc.RootElement.TryGetProperty("currentContext", out var c) && c.ValueKind == JsonValueKind.String &&
                       !string.IsNullOrWhiteSpace(c.GetString())
                    ? c.GetString()
                    : null;
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>The directory name the docker CLI gives a context: the hex SHA-256 of its name.</summary>
        public static string DirectoryName(string name)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(name));
            var text = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) text.Append(b.ToString("x2"));
            return text.ToString();
        }

        public static DockerContext Read(string configDirectory, string name)
        {
            var meta = Path.Combine(configDirectory, "contexts", "meta", DirectoryName(name), "meta.json");
            if (!File.Exists(meta))
                throw new FoamArgumentException(ErrorIds.ContextNotFound,
                    $"There is no docker context '{name}' in {configDirectory} (see 'docker context ls').", name, FoamErrorKind.ObjectNotFound);
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(meta));
                var context = new DockerContext { Name = name };
                if (doc.RootElement.TryGetProperty("Endpoints", out var endpoints) &&
                    endpoints.TryGetProperty("docker", out var docker) && docker.ValueKind == JsonValueKind.Object)
                {
                    if (docker.TryGetProperty("Host", out var host) && host.ValueKind == JsonValueKind.String) context.Host = host.GetString() ?? "";
                    if (docker.TryGetProperty("SkipTLSVerify", out var skip) && skip.ValueKind == JsonValueKind.True) context.SkipTlsVerify = true;
                }
                if (string.IsNullOrWhiteSpace(context.Host))
                    throw new FoamArgumentException(ErrorIds.InvalidDockerHost, $"The docker context '{name}' ({meta}) names no docker endpoint.", name);
                var tls = Path.Combine(configDirectory, "contexts", "tls", DirectoryName(name), "docker");
                if (Directory.Exists(tls)) context.TlsPath = tls;
                return context;
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is UnauthorizedAccessException || e is InvalidOperationException)
            {
                throw new FoamArgumentException(ErrorIds.InvalidDockerHost, $"The docker context '{name}' cannot be read from {meta}: {e.Message}", name);
            }
        }

        /// <summary>Names of the contexts in the store (for tab completion); empty when there is none or it cannot be read.</summary>
        public static IReadOnlyList<string> List(string configDirectory)
        {
            var names = new List<string> { "default" };
            var root = Path.Combine(configDirectory, "contexts", "meta");
            try
            {
                if (!Directory.Exists(root)) return names;
                foreach (var dir in Directory.GetDirectories(root))
                {
                    var meta = Path.Combine(dir, "meta.json");
                    if (!File.Exists(meta)) continue;
                    try
                    {
                        using var doc = JsonDocument.Parse(File.ReadAllText(meta));
                        if (doc.RootElement.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(n.GetString()))
                            names.Add(n.GetString()!);
                    }
                    catch (Exception e) when (e is JsonException || e is InvalidOperationException || e is IOException || e is UnauthorizedAccessException) { }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            names.Sort(StringComparer.OrdinalIgnoreCase);
            return names;
        }
    }
}
