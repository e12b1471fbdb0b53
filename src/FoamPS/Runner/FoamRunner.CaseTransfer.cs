using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using FoamPS.Engine;
using FoamPS.Foam;

namespace FoamPS.Runner
{
    /// <summary>A case packed for Copy transfer: the tar (a temporary file, deleted when disposed) and what it holds.</summary>
    internal sealed class PackedCase : IDisposable
    {
        public PackedCase(FileStream tar, Dictionary<string, CaseEntry> sent, bool ownerFromContainer)
        {
            Tar = tar; Sent = sent; OwnerFromContainer = ownerFromContainer;
        }

        public FileStream Tar { get; }
        public Dictionary<string, CaseEntry> Sent { get; }

        /// <summary>The run's user is a name, not uid:gid: the engine gives the files to the container's user (copyUIDGID).</summary>
        public bool OwnerFromContainer { get; }

        public void Dispose() => Tar.Dispose();
    }

    public static partial class FoamRunner
    {
        /// <summary>How long copy-back may take after a run was stopped or failed to finish.</summary>
        private static readonly TimeSpan CopyBackOnStopTimeout = TimeSpan.FromSeconds(60);

        /// <summary>
        /// Packs the case before anything is created on the engine, so an unreadable case fails with
        /// nothing left behind. Entries are owned by the run's uid:gid.
        /// </summary>
        internal static PackedCase PackCase(RunSpec spec, IRunObserver observer)
        {
            var (uid, gid, byName) = Owner(spec.EffectiveUser);
            var path = Path.Combine(Path.GetTempPath(), "foamps-case-" + Guid.NewGuid().ToString("N") + ".tar");
            FileStream tar;
            try
            {
#if NET7_0_OR_GREATER
                // Readable by this user only: the case may be private.
                var options = new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 81920,
                    Options = FileOptions.DeleteOnClose,
                };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                tar = new FileStream(path, options);
#else
                tar = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
#endif
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.WriteError,
                    $"Cannot stage the case for copying in '{Path.GetTempPath()}': {e.Message}", path, e);
            }
            try
            {
                // Over tcp the case travels gzipped (the engine unpacks gzip itself): OpenFOAM's text files
                // shrink several times. Through a local socket or pipe, compressing would only cost time.
                var compress = spec.Endpoint.IsTcp;
                Dictionary<string, CaseEntry> sent;
                if (compress)
                {
                    using var gzip = new System.IO.Compression.GZipStream(tar, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true);
                    sent = CaseArchive.Pack(spec.CasePath, gzip, FoamEnvironment.CaseMount.TrimStart('/'), uid, gid,
                        skipped => observer.Warning($"Not copied to the engine: {skipped}."));
                }
                else
                {
                    sent = CaseArchive.Pack(spec.CasePath, tar, FoamEnvironment.CaseMount.TrimStart('/'), uid, gid,
                        skipped => observer.Warning($"Not copied to the engine: {skipped}."));
                }
                tar.Flush();
                observer.Verbose($"Packed {sent.Count} entries of {spec.CasePath} ({tar.Length / 1024.0 / 1024.0:0.0} MiB{(compress ? ", gzipped" : "")}) for the engine.");
                return new PackedCase(tar, sent, byName);
            }
            catch
            {
                tar.Dispose();
                throw;
            }
        }

        /// <summary>"1000:1000" → (1000, 1000); "1000" → (1000, 1000); a name or "" → owner decided in the container.</summary>
        internal static (int Uid, int Gid, bool ByName) Owner(string user)
        {
            var parts = user.Split(':');
            if (parts.Length >= 1 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                var gid = uid;
                if (parts.Length < 2 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
                    return (uid, gid, false);
            }
            return (0, 0, true);
        }

        /// <summary>Puts the packed case into the created container at the case directory.</summary>
        internal static async Task SendCaseAsync(EngineClient engine, string containerId, PackedCase packed, IRunObserver observer, CancellationToken ct)
        {
            packed.Tar.Position = 0;
            await Call(engine, "copy the case into the container",
                c => engine.Docker.Containers.ExtractArchiveToContainerAsync(containerId,
                    new CopyToContainerParameters { Path = "/", CopyUIDGID = packed.OwnerFromContainer ? true : (bool?)null },
                    packed.Tar, c),
                ct).ConfigureAwait(false);
            observer.Verbose($"Copied the case into container {containerId.Substring(0, 12)}.");
        }

        /// <summary>
        /// Brings back what the run created or changed: the case directory of the container, extracted
        /// safely over the local case, entries that are as they were sent skipped, the live log left alone.
        /// </summary>
        internal static async Task<ExtractResult> FetchCaseAsync(EngineClient engine, string containerId, RunSpec spec, PackedCase packed,
            IRunObserver observer, CancellationToken ct)
        {
            var archive = await Call(engine, "copy the case back from the container",
                c => engine.Docker.Containers.GetArchiveFromContainerAsync(containerId,
                    new ContainerPathStatParameters { Path = FoamEnvironment.CaseMount }, false, c),
                ct).ConfigureAwait(false);
            var exclude = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var root = Path.GetFullPath(spec.CasePath).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (spec.EffectiveLogPath is string log && Path.GetFullPath(log).StartsWith(root, StringComparison.OrdinalIgnoreCase))
                exclude.Add(Path.GetFullPath(log).Substring(root.Length).Replace(Path.DirectorySeparatorChar, '/'));

            var stream = archive.Stream ?? throw new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.InvalidResult,
                $"The engine at {engine.Endpoint} sent no archive of {FoamEnvironment.CaseMount}.", spec.CasePath);
            using (stream)
            using (ct.Register(() => stream.Dispose()))
            {
                try
                {
                    var result = await Task.Run(() => TarExtractor.Extract(new BlockingReadStream(stream), spec.CasePath, packed.Sent, exclude,
                        refused => observer.Warning($"Copy-back refused {refused}; nothing was written for it."),
                        made => HostIdentity.HandOver(made, spec.EffectiveUser)), ct).ConfigureAwait(false);
                    // Only after a complete archive: what the command deleted goes here too, as with a bind mount.
                    TarExtractor.RemoveDeleted(spec.CasePath, packed.Sent, result, exclude, removed => observer.Verbose($"Removed {removed}: the command deleted it."));
                    observer.Verbose($"Copied back {result.Written} created or changed entries ({result.Unchanged} unchanged, {result.Refused.Count} refused, {result.Deleted} deleted).");
                    return result;
                }
                catch (Exception e) when (ct.IsCancellationRequested && !(e is FoamException))
                {
                    throw new OperationCanceledException("Copy-back was stopped.", e, ct);
                }
                catch (Exception e) when (!(e is FoamException) && !(e is OperationCanceledException))
                {
                    throw new FoamException(ErrorIds.CaseTransferFailed, FoamErrorKind.ConnectionError,
                        $"Copying the case back from {engine.Endpoint} failed: {ErrorTranslation.Describe(e)}. What was written so far is in {spec.CasePath}.",
                        spec.CasePath, e);
                }
            }
        }
    }
}
