using System;
using System.IO;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;

namespace FoamPS.Engine
{
    /// <summary>
    /// One Docker connection per endpoint, shared by every cmdlet and runspace of the process
    /// (DockerClient is thread-safe).
    /// </summary>
    public sealed class EngineClient
    {
        /// <summary>How long FoamPS waits for an engine's first answer before calling it unreachable.</summary>
        public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

        private static readonly ConcurrentDictionary<DockerEndpoint, EngineClient> Cache =
            new ConcurrentDictionary<DockerEndpoint, EngineClient>();

        private EngineClient(DockerEndpoint endpoint)
        {
            Endpoint = endpoint;
            var builder = new DockerClientBuilder().WithEndpoint(endpoint.Uri);
            if (endpoint.Tls != null) builder = builder.WithAuthProvider(TlsCredentials(endpoint));
            Docker = builder.Build();
        }

        /// <summary>
        /// Client certificate and server verification from the TLS directory, like the docker CLI:
        /// cert.pem + key.pem always, ca.pem when verifying (then only servers signed by that CA are accepted).
        /// </summary>
        private static global::Docker.DotNet.Handler.Abstractions.IAuthProvider TlsCredentials(DockerEndpoint endpoint)
        {
            var tls = endpoint.Tls!;
            var needed = tls.Verify ? new[] { "ca.pem", "cert.pem", "key.pem" } : new[] { "cert.pem", "key.pem" };
            foreach (var file in needed)
            {
                if (!System.IO.File.Exists(System.IO.Path.Combine(tls.CertPath, file)))
                    throw new FoamArgumentException(ErrorIds.TlsCertificateNotFound,
                        $"TLS to {endpoint} needs {string.Join(", ", needed)} in {tls.CertPath}, and {file} is not there. " +
                        "Give the directory with -TlsCertPath or $env:DOCKER_CERT_PATH (the client certificate is cert.pem with its key key.pem).",
                        tls.CertPath, FoamErrorKind.ObjectNotFound);
            }
            global::Docker.DotNet.X509.DockerTlsCertificates certificates;
            try { certificates = global::Docker.DotNet.X509.DockerTlsCertificates.LoadFromDirectory(tls.CertPath, loadCertificateAuthority: tls.Verify); }
            catch (Exception e) when (!(e is FoamException))
            {
                throw new FoamArgumentException(ErrorIds.TlsCertificateNotFound,
                    $"The TLS certificates in {tls.CertPath} cannot be loaded: {ErrorTranslation.Describe(e)}.", tls.CertPath);
            }
            var credentials = certificates.CreateCredentials();
            if (credentials is global::Docker.DotNet.X509.CertificateCredentials c)
            {
                if (!tls.Verify)
                {
                    c.ServerCertificateValidationCallback = (sender, certificate, chain, errors) => true;
                }
                else
                {
                    // The library checks the chain against ca.pem; the engine's name must match too, as the docker CLI requires.
                    var chainCheck = c.ServerCertificateValidationCallback;
                    c.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
                        (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0 &&
                        (chainCheck != null ? chainCheck(sender, certificate, chain, errors) : errors == System.Net.Security.SslPolicyErrors.None);
                }
            }
            return credentials;
        }

        public DockerEndpoint Endpoint { get; }

        public DockerClient Docker { get; }

        /// <summary>The shared client for <paramref name="endpoint"/>.</summary>
        /// <remarks>A client that could not be made is not cached: the next call tries again.</remarks>
        public static EngineClient For(DockerEndpoint endpoint)
        {
            if (Cache.TryGetValue(endpoint, out var client)) return client;
            EngineClient made;
            try { made = new EngineClient(endpoint); }
            catch (Exception e) when (!(e is FoamException) && !IsBrokenInstall(e))
            {
                throw new FoamArgumentException(ErrorIds.InvalidDockerHost, $"'{endpoint}' cannot be used as a Docker endpoint: {e.Message}", endpoint.ToString());
            }
            var winner = Cache.GetOrAdd(endpoint, made);
            if (!ReferenceEquals(winner, made)) made.Docker.Dispose();
            return winner;
        }

        /// <summary>A dependency that cannot be loaded is the module's fault, not the endpoint's: it stays UnexpectedError.</summary>
        private static bool IsBrokenInstall(Exception e) =>
            e is FileLoadException || e is TypeLoadException || e is BadImageFormatException ||
            (e is FileNotFoundException missing && (missing.FileName?.Contains("Version=") ?? false));

        private readonly ConcurrentDictionary<string, byte> _removeLater = new ConcurrentDictionary<string, byte>();

        /// <summary>A container FoamPS could not remove because the engine did not answer: removed by the next successful ping.</summary>
        public void RemoveLater(string containerId) => _removeLater[containerId] = 0;

        /// <summary>Containers still waiting to be removed.</summary>
        public int PendingRemovals => _removeLater.Count;

        private async Task SweepAsync(CancellationToken cancellationToken)
        {
            foreach (var id in _removeLater.Keys)
            {
                try
                {
                    await Docker.Containers.RemoveContainerAsync(id, new Docker.DotNet.Models.ContainerRemoveParameters { Force = true, RemoveVolumes = true }, cancellationToken).ConfigureAwait(false);
                    _removeLater.TryRemove(id, out _);
                }
                catch (DockerContainerNotFoundException) { _removeLater.TryRemove(id, out _); }
                catch (Exception e) when (!(e is OutOfMemoryException)) { /* still not possible: the next ping tries again */ }
            }
        }

        /// <summary>Checks that the engine answers, within <see cref="ConnectTimeout"/>; then removes what could not be removed before.</summary>
        public async Task PingAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                // Raced against the clock: some transports do not cancel a TLS handshake that never ends.
                var ping = Docker.System.PingAsync(timeout.Token);
                var clock = Task.Delay(Timeout.Infinite, timeout.Token);
                if (await Task.WhenAny(ping, clock).ConfigureAwait(false) != ping)
                {
                    _ = ping.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);   // observed, whenever it ends
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new OperationCanceledException(timeout.Token);
                }
                await ping.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FoamEngineUnreachableException(Endpoint.ToString(),
                    $"no answer within {ConnectTimeout.TotalSeconds:0} s");
            }
            catch (Exception e) when (ErrorTranslation.IsTlsFailure(e))
            {
                throw ErrorTranslation.TlsFailure(Endpoint, e);
            }
            catch (Exception e) when (ErrorTranslation.IsConnectionFailure(e))
            {
                throw new FoamEngineUnreachableException(Endpoint.ToString(), ErrorTranslation.Describe(e), e);
            }
            catch (DockerApiException e) when (ErrorTranslation.IsPlainHttpToTls(e))
            {
                throw ErrorTranslation.TlsRequired(Endpoint, e);
            }
            catch (DockerApiException e)
            {
                // Something answered, but not a Docker engine (a web server on that port, say).
                throw new FoamEngineUnreachableException(Endpoint.ToString(),
                    $"it answered /_ping with HTTP {(int)e.StatusCode}, so it is not a Docker engine", e);
            }
            if (!_removeLater.IsEmpty)
            {
                // Outside the ping's budget: the engine answered, the clean-up gets its own time.
                using var sweep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                sweep.CancelAfter(TimeSpan.FromSeconds(10));
                await SweepAsync(sweep.Token).ConfigureAwait(false);
            }
        }
    }
}
