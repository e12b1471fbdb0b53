using System;
using System.Runtime.InteropServices;

namespace FoamPS.Engine
{
    /// <summary>
    /// Where the Docker engine is. Resolution, like the docker CLI: an explicit -DockerHost,
    /// else $env:DOCKER_HOST, else the platform default socket.
    /// </summary>
    public sealed class DockerEndpoint : IEquatable<DockerEndpoint>
    {
        private DockerEndpoint(Uri uri) { Uri = uri; }

        public Uri Uri { get; }

        /// <summary>True for endpoints on this machine (unix socket, named pipe, loopback tcp).</summary>
        public bool IsLocal => Uri.Scheme is "unix" or "npipe" || Uri.IsLoopback;

        public static DockerEndpoint Default =>
            new DockerEndpoint(RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                ? new Uri("npipe://./pipe/docker_engine")
                : new Uri("unix:///var/run/docker.sock"));

        /// <summary>Resolves the endpoint from an explicit value, then DOCKER_HOST, then the default.</summary>
        public static DockerEndpoint Resolve(string? explicitHost)
        {
            if (!string.IsNullOrWhiteSpace(explicitHost)) return Parse(explicitHost!);
            var fromEnv = Environment.GetEnvironmentVariable("DOCKER_HOST");
            if (!string.IsNullOrWhiteSpace(fromEnv)) return Parse(fromEnv!);
            return Default;
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
                    var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "https" ? 2376 : 2375) : uri.Port;
                    return new DockerEndpoint(new UriBuilder(uri.Scheme, uri.Host, port).Uri);
                case "ssh":
                    throw Invalid(host, "ssh:// endpoints are not supported; use a local socket, or tcp:// to an engine you trust");
                default:
                    throw Invalid(host, $"the scheme '{uri.Scheme}' is not one of unix, npipe, tcp, http, https");
            }
        }

        private static FoamArgumentException Invalid(string host, string why) =>
            new FoamArgumentException(ErrorIds.InvalidDockerHost, $"'{host}' is not a usable Docker endpoint: {why}.", host);

        public override string ToString() => Uri.Scheme == "unix" ? "unix://" + Uri.AbsolutePath : Uri.ToString().TrimEnd('/');

        public bool Equals(DockerEndpoint? other) => other is not null && ToString() == other.ToString();
        public override bool Equals(object? obj) => Equals(obj as DockerEndpoint);
        public override int GetHashCode() => ToString().GetHashCode();
    }
}
