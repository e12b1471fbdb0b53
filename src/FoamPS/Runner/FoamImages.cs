using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;

namespace FoamPS.Runner
{
    /// <summary>Local images, described as FoamImage.</summary>
    public static class FoamImages
    {
        private static readonly string[] VersionVariables = { "WM_PROJECT_VERSION", "OPENFOAM_VERSION", "FOAM_VERSION" };
        private static readonly string[] VersionLabels = { "openfoam.version", "org.openfoam.version", "com.openfoam.version" };

        /// <summary>
        /// The image <paramref name="lookup"/> (a reference or an id) names, described under
        /// <paramref name="reference"/>; null when the engine does not have it.
        /// </summary>
        public static async Task<FoamImage?> DescribeAsync(EngineClient engine, string lookup, string reference, CancellationToken ct)
        {
            ImageInspectResponse inspect;
            try { inspect = await engine.Docker.Images.InspectImageAsync(lookup, ct).ConfigureAwait(false); }
            catch (DockerImageNotFoundException) { return null; }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { return null; }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw ErrorTranslation.Translate(e, engine.Endpoint, $"inspect the image '{reference}'"); }
            return Describe(inspect, reference, engine.Endpoint);
        }

        public static FoamImage Describe(ImageInspectResponse inspect, string reference, DockerEndpoint endpoint)
        {
            var tags = inspect.RepoTags?.ToArray() ?? Array.Empty<string>();
            return new FoamImage
            {
                Reference = reference,
                Id = inspect.ID,
                Digest = DigestFor(reference, inspect.RepoDigests),
                Tags = tags,
                Created = inspect.Created?.ToLocalTime() ?? default,
                SizeBytes = inspect.Size,
                OpenFoamVersion = OpenFoamVersion(inspect.Config?.Env, inspect.Config?.Labels),
                DockerHost = endpoint.ToString(),
            };
        }

        /// <summary>The digest of the repo the reference names ("repo@sha256:..." in RepoDigests).</summary>
        public static string? DigestFor(string reference, IEnumerable<string>? repoDigests)
        {
            if (repoDigests == null) return null;
            var at = reference.IndexOf('@');
            if (at > 0) return reference.Substring(at + 1);
            var lastSlash = reference.LastIndexOf('/');
            var colon = reference.IndexOf(':', lastSlash + 1);
            var repo = colon > 0 ? reference.Substring(0, colon) : reference;
            foreach (var d in repoDigests)
            {
                var i = d.IndexOf('@');
                if (i > 0 && (d.Substring(0, i) == repo || d.Substring(0, i) == "docker.io/" + repo || d.Substring(0, i) == "docker.io/library/" + repo))
                    return d.Substring(i + 1);
            }
            return null;
        }

        /// <summary>The OpenFOAM version from WM_PROJECT_VERSION-like variables or labels, else null.</summary>
        public static string? OpenFoamVersion(IEnumerable<string>? env, IDictionary<string, string>? labels)
        {
            foreach (var e in env ?? Enumerable.Empty<string>())
            {
                var eq = e.IndexOf('=');
                if (eq > 0 && VersionVariables.Contains(e.Substring(0, eq)) && eq < e.Length - 1) return e.Substring(eq + 1);
            }
            foreach (var key in VersionLabels)
            {
                if (labels != null && labels.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v)) return v;
            }
            return null;
        }

        /// <summary>Every tagged local image.</summary>
        public static async Task<IList<ImagesListResponse>> ListAsync(EngineClient engine, CancellationToken ct)
        {
            try { return await engine.Docker.Images.ListImagesAsync(new ImagesListParameters(), ct).ConfigureAwait(false); }
            catch (Exception e) when (!(e is OperationCanceledException)) { throw ErrorTranslation.Translate(e, engine.Endpoint, "list images"); }
        }
    }
}
