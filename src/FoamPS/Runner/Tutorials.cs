using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using FoamPS.Engine;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>
    /// Copies tutorial cases out of an image through the engine's archive API: a container is
    /// created (never started) and the case read from its file system, so no bind mount is needed
    /// and remote engines work too.
    /// </summary>
    public static class Tutorials
    {
        /// <summary>Where the tutorials may be, given the image's environment script.</summary>
        public static IEnumerable<string> Candidates(string bashRc)
        {
            // OpenCFD and Foundation: <project>/etc/bashrc → <project>/tutorials.
            var etc = bashRc.Substring(0, Math.Max(0, bashRc.LastIndexOf('/')));
            var project = etc.Substring(0, Math.Max(0, etc.LastIndexOf('/')));
            if (project.Length > 0) yield return project + "/tutorials";
            yield return "/usr/share/doc/openfoam-examples/examples";   // Debian's openfoam-examples
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<IReadOnlyList<string>>> Listed =
            new System.Collections.Concurrent.ConcurrentDictionary<string, Task<IReadOnlyList<string>>>();

        /// <summary>
        /// The tutorial cases of an image (paths of directories holding system/controlDict), found
        /// once per engine and image and cached for the process.
        /// </summary>
        public static Task<IReadOnlyList<string>> ListAsync(EngineClient engine, string image) =>
            Listed.GetOrAdd(engine.Endpoint + "|" + image, _ => ListUncachedAsync(engine, image)).ContinueWith(t =>
            {
                if (t.IsFaulted || t.IsCanceled) Listed.TryRemove(engine.Endpoint + "|" + image, out _);
                return t;
            }, TaskScheduler.Default).Unwrap();

        private static async Task<IReadOnlyList<string>> ListUncachedAsync(EngineClient engine, string image)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var observer = NullRunObserver.Instance;
            var imageId = await EnvironmentProbe.ImageIdAsync(engine, image, cts.Token).ConfigureAwait(false);
            var spec = new RunSpec { Image = image, Command = "true", CasePath = "/" };
            var bashRc = await EnvironmentProbe.ResolveBashRcAsync(engine, spec, imageId, observer, cts.Token).ConfigureAwait(false);
            var roots = string.Join(" ", Candidates(bashRc).Select(ShellQuote.Quote));
            var script = $"for d in {roots}; do if [ -d \"$d\" ]; then cd \"$d\" && find -L . -path '*/system/controlDict' 2>/dev/null; exit 0; fi; done";
            var output = await EnvironmentProbe.ProbeAsync(engine,
                ContainerSpec.ForScript(imageId, new List<string> { "/bin/sh", "-c", script }, image), observer, cts.Token).ConfigureAwait(false);
            return output.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.EndsWith("/system/controlDict", StringComparison.Ordinal))
                .Select(l => l.Substring(0, l.Length - "/system/controlDict".Length).TrimStart('.', '/'))
                .Where(l => l.Length > 0)
                .OrderBy(l => l, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>Copies tutorial <paramref name="name"/> to <paramref name="destination"/> (which must not exist).</summary>
        public static async Task<string> CopyAsync(EngineClient engine, string image, string name, string destination,
            IRunObserver observer, CancellationToken ct)
        {
            var spec = new RunSpec { Image = image, Command = "true", CasePath = "/" };
            var imageId = await EnvironmentProbe.ImageIdAsync(engine, image, ct).ConfigureAwait(false);
            var bashRc = await EnvironmentProbe.ResolveBashRcAsync(engine, spec, imageId, observer, ct).ConfigureAwait(false);
            string? id = null;
            try
            {
                var created = await FoamRunner.CreateAsync(engine, ContainerSpec.ForProbe(imageId, null, image), observer, ct).ConfigureAwait(false);
                id = created.ID;
                foreach (var root in Candidates(bashRc))
                {
                    var path = root + "/" + name.Trim('/');
                    ContainerArchiveResponse archive;
                    try
                    {
                        archive = await engine.Docker.Containers.GetArchiveFromContainerAsync(id,
                            new ContainerPathStatParameters { Path = path }, false, ct).ConfigureAwait(false);
                    }
                    catch (DockerContainerNotFoundException) { continue; }
                    catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { continue; }
                    using (archive.Stream)
                    {
                        if ((archive.Stat.Mode & (1u << 31)) == 0)
                            throw new FoamArgumentException(ErrorIds.TutorialNotFound,
                                $"'{name}' in image '{image}' is a file, not a tutorial case directory.", name, FoamErrorKind.ObjectNotFound);
                        observer.Verbose($"Copying {path} from image {image} to {destination}.");
                        // The engine's stream only reads asynchronously; the tar reader reads synchronously.
                        using var spool = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                        await (archive.Stream ?? Stream.Null).CopyToAsync(spool, 81920, ct).ConfigureAwait(false);
                        spool.Position = 0;
                        var files = TarExtractor.Extract(spool, destination, why => observer.Verbose("Refused: " + why));
                        observer.Verbose($"Copied {files} files.");
                    }
                    return path;
                }
                throw new FoamArgumentException(ErrorIds.TutorialNotFound,
                    $"There is no tutorial '{name}' in image '{image}' (looked under {string.Join(" and ", Candidates(bashRc))}). " +
                    "Names are paths under the tutorials folder, e.g. incompressible/icoFoam/cavity/cavity.", name, FoamErrorKind.ObjectNotFound);
            }
            finally
            {
                if (id != null) await FoamRunner.RemoveAsync(engine, id, observer).ConfigureAwait(false);
            }
        }
    }
}
