using System;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace FoamPS.Engine
{
    /// <summary>What a pull reports as it goes. Called on the thread that reads the engine's stream.</summary>
    public interface IPullObserver
    {
        /// <summary>One message of the engine's pull stream: a layer's status and progress, or a line.</summary>
        void Message(string? layer, string status, long? current, long? total);

        /// <summary>The pull ended (however it ended).</summary>
        void Completed();
    }

    /// <summary>Pulls images, turning the engine's answers (also errors inside a successful stream) into FoamPS errors.</summary>
    public static class ImagePuller
    {
        /// <summary>Pulls <paramref name="reference"/> (":latest" when it names no tag); returns the digest the engine reported, if any.</summary>
        public static async Task<string?> PullAsync(EngineClient engine, string reference, AuthConfig? auth, IPullObserver observer, CancellationToken ct)
        {
            var fullReference = ImageReference.WithDefaultTag(reference);
            var registry = ImageReference.Registry(fullReference);
            string? digest = null;
            string? streamError = null;
            var progress = new SyncProgress<JSONMessage>(m =>
            {
                if (m.Error != null)
                {
                    streamError ??= m.Error.Message ?? "unknown error";
                    return;
                }
                var status = m.Status ?? "";
                if (status.StartsWith("Digest: ", StringComparison.Ordinal)) digest = status.Substring(8).Trim();
                observer.Message(string.IsNullOrEmpty(m.ID) ? null : m.ID, status, m.Progress?.Current, m.Progress?.Total);
            });

            var pull = engine.Docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = fullReference }, auth ?? new AuthConfig(), progress, ct);
            try
            {
                // The netstandard2.0 transport may keep reading after cancellation: do not wait for it.
                var cancelled = Task.Delay(Timeout.Infinite, ct);
                if (await Task.WhenAny(pull, cancelled).ConfigureAwait(false) == cancelled)
                {
                    _ = pull.ContinueWith(t => t.Exception, TaskScheduler.Default);
                    throw new OperationCanceledException(ct);
                }
                await pull.ConfigureAwait(false);
            }
            catch (DockerApiException e)
            {
                throw Classify(reference, registry, ErrorTranslation.ApiMessage(e.ResponseBody), e);
            }
            catch (Exception e) when (!(e is OperationCanceledException) && !(e is FoamException))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, $"pull '{reference}'");
            }
            if (streamError != null) throw Classify(reference, registry, streamError, null);
            return digest;
        }

        /// <summary>Which failure an engine's pull error message describes.</summary>
        public static FoamException Classify(string reference, string registry, string message, Exception? inner)
        {
            var m = message.ToLowerInvariant();
            if (m.Contains("unauthorized") || m.Contains("authentication required") || m.Contains("no basic auth credentials") ||
                m.Contains("incorrect username or password") || (m.Contains("denied") && !m.Contains("repository does not exist")))
            {
                return new FoamException(ErrorIds.RegistryAuthenticationFailed, FoamErrorKind.PermissionDenied,
                    $"The registry {registry} refused the credentials for '{reference}': {message}. Give the right -Credential, or log in with 'docker login {registry}'.",
                    reference, inner);
            }
            if (m.Contains("manifest unknown") || m.Contains("not found") || m.Contains("repository does not exist") || m.Contains("name unknown"))
            {
                return new FoamImageNotFoundException(reference, registry, message);
            }
            if (m.Contains("connection refused") || m.Contains("no such host") || m.Contains("i/o timeout") || m.Contains("dial tcp") ||
                m.Contains("tls handshake timeout") || m.Contains("network is unreachable") || m.Contains("client.timeout exceeded") ||
                m.Contains("server misbehaving") || m.Contains("connection reset"))
            {
                return new FoamException(ErrorIds.RegistryUnreachable, FoamErrorKind.ConnectionError,
                    $"The registry {registry} could not be reached to pull '{reference}': {message}. Check the registry address and the network.",
                    reference, inner);
            }
            return new FoamException(ErrorIds.ImagePullFailed, FoamErrorKind.NotSpecified,
                $"Pulling '{reference}' from {registry} failed: {message}", reference, inner);
        }
    }
}
