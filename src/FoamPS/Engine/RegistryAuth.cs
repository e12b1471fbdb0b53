using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace FoamPS.Engine
{
    /// <summary>
    /// Registry credentials: given explicitly, or what the docker CLI stored in config.json
    /// ($DOCKER_CONFIG/config.json, else ~/.docker/config.json, auths.&lt;registry&gt;.auth).
    /// Passwords are carried, never described.
    /// </summary>
    public static class RegistryAuth
    {
        /// <summary>Where the credentials came from, for messages (never the secret itself).</summary>
        public sealed class Found
        {
            public Found(AuthConfig? auth, string source, string? warning = null) { Auth = auth; Source = source; Warning = warning; }
            public AuthConfig? Auth { get; }
            public string Source { get; }
            public string? Warning { get; }
        }

        public static Found ForExplicit(string registry, string user, string password) =>
            new Found(new AuthConfig { Username = user, Password = password, ServerAddress = registry }, $"-Credential (user '{user}')");

        /// <summary>The docker CLI's stored credentials for <paramref name="registry"/>, if any.</summary>
        public static Found FromDockerConfig(string registry)
        {
            var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
            if (string.IsNullOrEmpty(dir))
                dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            var path = Path.Combine(dir!, "config.json");
            if (!File.Exists(path)) return new Found(null, "none");
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                var root = doc.RootElement;
                if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in auths.EnumerateObject())
                    {
                        if (!SameRegistry(entry.Name, registry)) continue;
                        if (entry.Value.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String &&
                            Decode(auth.GetString()!) is (string user, string password))
                        {
                            return new Found(new AuthConfig { Username = user, Password = password, ServerAddress = registry },
                                $"{path} (user '{user}')");
                        }
                    }
                }
                if ((root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object &&
                     helpers.TryGetProperty(registry, out _)) ||
                    (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String))
                {
                    return new Found(null, "none",
                        $"{path} keeps credentials in a credential helper, which FoamPS does not read: pulling from {registry} without credentials. Use -Credential if the registry needs them.");
                }
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is UnauthorizedAccessException)
            {
                return new Found(null, "none", $"Could not read {path}: {e.Message}");
            }
            return new Found(null, "none");
        }

        private static (string, string)? Decode(string base64)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
                var colon = text.IndexOf(':');
                return colon > 0 ? (text.Substring(0, colon), text.Substring(colon + 1)) : null;
            }
            catch (FormatException) { return null; }
        }

        /// <summary>config.json keys may carry a scheme and a path ("https://index.docker.io/v1/").</summary>
        private static bool SameRegistry(string key, string registry)
        {
            static string Host(string s)
            {
                var t = s;
                var scheme = t.IndexOf("://", StringComparison.Ordinal);
                if (scheme >= 0) t = t.Substring(scheme + 3);
                var slash = t.IndexOf('/');
                if (slash >= 0) t = t.Substring(0, slash);
                return t.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" or "docker.io" ? "docker.io" : t.ToLowerInvariant();
            }
            return Host(key) == Host(registry);
        }
    }
}
