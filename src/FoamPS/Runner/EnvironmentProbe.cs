using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>What an image holds: its id, and where its OpenFOAM environment script is.</summary>
    internal static class EnvironmentProbe
    {
        /// <summary>Environment scripts found per (endpoint, image id, -BashRc).</summary>
        private static readonly ConcurrentDictionary<string, string> BashRcCache = new ConcurrentDictionary<string, string>();

        /// <summary>The image's id; ImageNotFound when the engine does not have it.</summary>
        public static async Task<string> ImageIdAsync(EngineClient engine, string image, CancellationToken cancellationToken)
        {
            try
            {
                var inspect = await engine.Docker.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
                return inspect.ID;
            }
            catch (Exception e) when (e is DockerImageNotFoundException || (e is DockerApiException api && api.StatusCode == System.Net.HttpStatusCode.NotFound))
            {
                throw new FoamImageNotFoundException(image, engine.Endpoint.ToString());
            }
            catch (Exception e)
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, $"inspect the image '{image}'");
            }
        }

        /// <summary>The image's id; when the engine does not have it, ImageNotFound naming local images it may have meant.</summary>
        public static async Task<string> ImageIdOrSuggestAsync(EngineClient engine, string image, CancellationToken cancellationToken)
        {
            try { return await ImageIdAsync(engine, image, cancellationToken).ConfigureAwait(false); }
            catch (FoamImageNotFoundException local)
            {
                var similar = await SimilarLocalImagesAsync(engine, image).ConfigureAwait(false);
                if (similar.Length == 0) throw;
                throw new FoamImageNotFoundException(image, local.Message + similar, (Exception?)null);
            }
        }

        /// <summary>
        /// " Did you mean 'x'?" naming local images a few keystrokes from <paramref name="image"/>, or "" (also when
        /// the engine does not answer within a second: a suggestion is never worth a wait).
        /// </summary>
        public static async Task<string> SimilarLocalImagesAsync(EngineClient engine, string image)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                var images = await engine.Docker.Images.ListImagesAsync(new ImagesListParameters(), cts.Token).ConfigureAwait(false);
                var tags = images.SelectMany(i => i.RepoTags ?? new List<string>()).Where(t => t != "<none>:<none>");
                return Foam.Suggestions.DidYouMean(Engine.ImageReference.WithDefaultTag(image), tags);
            }
            catch (Exception) { return ""; }
        }

        /// <summary>Finds (or checks) the environment script by a short probe container, cached per image.</summary>
        public static async Task<string> ResolveBashRcAsync(EngineClient engine, RunSpec spec, string imageId,
            IRunObserver observer, CancellationToken cancellationToken)
        {
            var key = engine.Endpoint + "|" + imageId + "|" + spec.BashRc;
            if (BashRcCache.TryGetValue(key, out var cached)) return cached;

            var output = await ProbeAsync(engine, ContainerSpec.ForProbe(imageId, spec.BashRc, spec.Image), observer, cancellationToken)
                .ConfigureAwait(false);
            var probe = FoamEnvironment.ParseProbe(output);
            if (probe.NoBash)
                throw new FoamEnvironmentNotFoundException(ErrorIds.OpenFoamEnvironmentNotFound, spec.Image,
                    $"Image '{spec.Image}' has no bash, so it is not an OpenFOAM image FoamPS can run. Use an OpenFOAM image such as opencfd/openfoam-default.");
            if (probe.Missing != null)
                throw new FoamEnvironmentNotFoundException(ErrorIds.BashRcNotFound, spec.Image,
                    $"-BashRc '{probe.Missing}' does not exist in image '{spec.Image}'. Give the path of the image's OpenFOAM etc/bashrc, or leave -BashRc out to detect it.");
            if (probe.BashRc == null)
                throw new FoamEnvironmentNotFoundException(ErrorIds.OpenFoamEnvironmentNotFound, spec.Image,
                    $"No OpenFOAM environment (etc/bashrc) found in image '{spec.Image}'. Looked in /usr/lib/openfoam/openfoam*/etc (OpenCFD), " +
                    "/opt/openfoam*/etc (Foundation) and /usr/share/openfoam/etc (Debian). Use -BashRc to name it.");
            BashRcCache[key] = probe.BashRc;
            return probe.BashRc;
        }

        /// <summary>Runs a small probe container and returns what it printed.</summary>
        /// <summary>Runs a short helper container to its end and returns what it printed on stdout.</summary>
        internal static async Task<string> ProbeAsync(EngineClient engine, CreateContainerParameters parameters,
            IRunObserver observer, CancellationToken cancellationToken)
        {
            string? id = null;
            try
            {
                var created = await FoamRunner.CreateAsync(engine, parameters, observer, cancellationToken).ConfigureAwait(false);
                id = created.ID;
                using var stream = await FoamRunner.Call(engine, "attach to the probe container",
                    ct => engine.Docker.Containers.AttachContainerAsync(id,
                        new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, ct),
                    cancellationToken).ConfigureAwait(false);
                await FoamRunner.Call(engine, "start the probe container",
                    ct => engine.Docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct),
                    cancellationToken).ConfigureAwait(false);
                using var reg = cancellationToken.Register(stream.Dispose);
                var (stdout, _) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                observer.Verbose($"Environment probe of {parameters.Image.Substring(0, Math.Min(19, parameters.Image.Length))}: {stdout.Trim()}");
                return stdout;
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            finally
            {
                if (id != null) await FoamRunner.RemoveAsync(engine, id, observer).ConfigureAwait(false);
            }
        }
    }
}
