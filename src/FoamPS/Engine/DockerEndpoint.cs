using System;
using System.IO;
using System.Runtime.InteropServices;

namespace FoamPS.Engine
{
    /// <summary>TLS settings of a tcp endpoint: the directory with ca.pem, cert.pem and key.pem, and whether the server is verified.</summary>
    public sealed class TlsSettings
    {
        public TlsSettings(string certPath, bool verify) { CertPath = certPath; Verify = verify; }

        public string CertPath { get; }

        /// <summary>False only when the user asked for it (-TlsSkipVerify, or a context with SkipTLSVerify).</summary>
        public bool Verify { get; }
    }

    /// <summary>What the user said about the engine: the cmdlet parameters that choose it.</summary>
    public sealed class EngineOptions
    {
        public string? DockerHost { get; set; }
        public string? Context { get; set; }
        public string? TlsCertPath { get; set; }
        public bool TlsSkipVerify { get; set; }
    }

    /// <summary>
    /// Where the Docker engine is and how to talk to it. Resolution, like the docker CLI:
    /// -DockerHost, else -Context, else $env:DOCKER_HOST, else $env:DOCKER_CONTEXT or the docker CLI's
    /// current context, else the platform default. TLS from -TlsCertPath, DOCKER_TLS_VERIFY/DOCKER_CERT_PATH
    /// or the context's own certificates.
    /// </summary>
    public sealed class DockerEndpoint : IEquatable<DockerEndpoint>
    {
        private DockerEndpoint(Uri uri) { Uri = uri; }

        public Uri Uri { get; }

        /// <summary>TLS settings; null for plain connections (and always for unix sockets and named pipes).</summary>
        public TlsSettings? Tls { get; private set; }

        /// <summary>The docker context this endpoint came from, if any.</summary>
        public string? Context { get; private set; }

        /// <summary>How it was chosen: "-DockerHost", "DOCKER_HOST", "context NAME" or "default".</summary>
        public string Source { get; private set; } = "default";

        /// <summary>True for endpoints on this machine (unix socket, named pipe, loopback tcp): they can see this machine's paths.</summary>
        public bool IsLocal => Uri.Scheme is "unix" or "npipe" || Uri.IsLoopback;

        public bool IsTcp => Uri.Scheme is "tcp" or "http" or "https";

        public static DockerEndpoint Default =>
            new DockerEndpoint(RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new Uri("npipe://./pipe/docker_engine")
                : new Uri("unix:///var/run/docker.sock"));

        /// <summary>Resolves the endpoint from an explicit host, then DOCKER_HOST, then contexts, then the default.</summary>
        public static DockerEndpoint Resolve(string? explicitHost) => Resolve(new EngineOptions { DockerHost = explicitHost });

        /// <summary>Resolves the engine the way the docker CLI does. <paramref name="env"/> reads environment variables (tests pass their own).</summary>
        public static DockerEndpoint Resolve(EngineOptions options, Func<string, string?>? env = null)
        {
            env ??= Environment.GetEnvironmentVariable;
            string? Env(string name) { var v = env(name); return string.IsNullOrWhiteSpace(v) ? null : v; }

            if (!string.IsNullOrWhiteSpace(options.DockerHost) && !string.IsNullOrWhiteSpace(options.Context))
                throw new FoamArgumentException(ErrorIds.ParameterConflict,
                    "Give either -DockerHost or -Context, not both: a context already names its engine.", options.Context);

            DockerEndpoint endpoint;
            if (!string.IsNullOrWhiteSpace(options.DockerHost))
                endpoint = WithEnvironmentTls(Parse(options.DockerHost!), "-DockerHost", options, Env);
            else if (!string.IsNullOrWhiteSpace(options.Context))
                endpoint = FromContext(options.Context!, options, Env);
            else if (Env("DOCKER_HOST") is string fromEnv)
                endpoint = WithEnvironmentTls(Parse(fromEnv), "DOCKER_HOST", options, Env);
            else if ((Env("DOCKER_CONTEXT") ?? DockerContexts.CurrentContext(DockerContexts.ConfigDirectory(Env))) is string current)
                endpoint = FromContext(current, options, Env);
            else
                endpoint = Default;

            if (endpoint.Tls is null && endpoint.IsTcp && (options.TlsCertPath != null || options.TlsSkipVerify))
                endpoint.Tls = new TlsSettings(FullPath(options.TlsCertPath ?? DockerContexts.ConfigDirectory(Env)), !options.TlsSkipVerify);
            return endpoint;
        }

        private static DockerEndpoint WithEnvironmentTls(DockerEndpoint endpoint, string source, EngineOptions options, Func<string, string?> env)
        {
            endpoint.Source = source;
            if (!endpoint.IsTcp) return endpoint;
            // Like the docker CLI: DOCKER_TLS_VERIFY (any value) or DOCKER_TLS turn TLS on; the certificates
            // are in DOCKER_CERT_PATH, else the docker config directory. FoamPS verifies the server unless told not to.
            var wanted = options.TlsCertPath != null || options.TlsSkipVerify || env("DOCKER_TLS_VERIFY") != null ||
                         env("DOCKER_TLS") != null || endpoint.Uri.Scheme == "https";
            if (wanted)
            {
                var path = options.TlsCertPath ?? env("DOCKER_CERT_PATH") ?? DockerContexts.ConfigDirectory(env);
                endpoint.Tls = new TlsSettings(FullPath(path), !options.TlsSkipVerify);
            }
            return endpoint;
        }

        private static DockerEndpoint FromContext(string name, EngineOptions options, Func<string, string?> env)
        {
            if (string.Equals(name, "default", StringComparison.Ordinal))
            {
                var d = Default; d.Source = "context default"; d.Context = "default";
                return d;
            }
            var context = DockerContexts.Read(DockerContexts.ConfigDirectory(env), name);
            var endpoint = Parse(context.Host);
            endpoint.Source = "context " + name;
            endpoint.Context = name;
            if (endpoint.IsTcp)
            {
                var certs = options.TlsCertPath != null ? FullPath(options.TlsCertPath) : context.TlsPath;
                if (certs != null || options.TlsSkipVerify || context.SkipTlsVerify || endpoint.Uri.Scheme == "https")
                    endpoint.Tls = new TlsSettings(certs ?? DockerContexts.ConfigDirectory(env), !(options.TlsSkipVerify || context.SkipTlsVerify));
            }
            return endpoint;
        }

        private static string FullPath(string path)
        {
            if (path.StartsWith("~", StringComparison.Ordinal))
                path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path.Substring(1);
            return Path.GetFullPath(path);
        }

        /// <summary>
        /// Parses unix://, npipe://, tcp://, http(s):// endpoints; "host:port" without a scheme is tcp.
        /// </summary>
        public static DockerEndpoint Parse(string host)
        {
            var text = host.Trim();
            if (!text.Contains("://")) text = "tcp://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
                throw Invalid(host, "it is not a URI");

            switch (uri.Scheme)
            {
                case "unix":
                    if (string.IsNullOrEmpty(uri.AbsolutePath) || uri.AbsolutePath == "/")
                        throw Invalid(host, "a unix endpoint needs a socket path, e.g. unix:///var/run/docker.sock");
                    return new DockerEndpoint(uri);
                case "npipe":
                    // The docker CLI writes npipe:////./pipe/docker_engine; Docker.DotNet wants npipe://./pipe/docker_engine.
                    var pipe = text.Substring("npipe://".Length).TrimStart('/');
                    if (pipe.StartsWith("./", StringComparison.Ordinal)) pipe = pipe.Substring(2);
                    if (!pipe.StartsWith("pipe/", StringComparison.OrdinalIgnoreCase) || pipe.Length <= 5)
                        throw Invalid(host, "a named pipe endpoint looks like npipe:////./pipe/docker_engine");
                    return new DockerEndpoint(new Uri("npipe://./" + pipe));
                case "tcp":
                case "http":
                case "https":
                    if (string.IsNullOrEmpty(uri.Host))
                        throw Invalid(host, "a tcp endpoint needs a host, e.g. tcp://bigbox:2376");
                    // The docker CLI's default ports: 2375 plain, 2376 TLS.
                    // Only a port that was not written gets the default: https://proxy:443 stays on 443.
                    var written = System.Text.RegularExpressions.Regex.IsMatch(text, @"^[a-z]+://(\[[^\]]*\]|[^/:\[]*):\d+", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                    var port = written && uri.Port > 0 ? uri.Port : (uri.Scheme == "https" ? 2376 : 2375);
                    return new DockerEndpoint(new UriBuilder(uri.Scheme, uri.Host, port).Uri);
                case "ssh":
                    throw Invalid(host, "ssh:// endpoints are not supported; use tcp:// with TLS (-TlsCertPath), or a local socket");
                default:
                    throw Invalid(host, $"the scheme '{uri.Scheme}' is not one of unix, npipe, tcp, http, https");
            }
        }

        private static FoamArgumentException Invalid(string host, string why) =>
            new FoamArgumentException(ErrorIds.InvalidDockerHost, $"'{host}' is not a usable Docker endpoint: {why}.", host);

        /// <summary>The endpoint as users write it (tcp://host:port, unix:///path, npipe://./pipe/name).</summary>
        public override string ToString() => Uri.Scheme == "unix" ? "unix://" + Uri.AbsolutePath : Uri.ToString().TrimEnd('/');

        /// <summary>Same engine, same TLS: one cached connection.</summary>
        private string Key => Tls is null ? ToString() : $"{this}|tls|{Tls.CertPath}|{Tls.Verify}";

        public bool Equals(DockerEndpoint? other) => other is not null && Key == other.Key;
        public override bool Equals(object? obj) => Equals(obj as DockerEndpoint);
        public override int GetHashCode() => Key.GetHashCode();
    }
}
