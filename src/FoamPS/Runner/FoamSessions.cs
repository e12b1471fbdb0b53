using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Engine;

namespace FoamPS.Runner
{
    /// <summary>Finds sessions (containers labelled foamps.session) and relates cases to them.</summary>
    public static class FoamSessions
    {
        public static FoamSession From(FoamContainer c) => new FoamSession
        {
            Id = c.Id, Name = c.Name, Case = c.Case, Image = c.Image, User = c.User, State = c.State,
            Created = c.Created, Owner = c.Owner, DockerHost = c.DockerHost,
        };

        public static async Task<IReadOnlyList<FoamSession>> ListAsync(EngineClient engine, CancellationToken ct) =>
            (await FoamContainers.ListAsync(engine, true, null, ct).ConfigureAwait(false))
                .Where(c => c.Application == ContainerSpec.SessionApplication).Select(From).ToList();

        /// <summary>The live session with this id or name; SessionNotFound otherwise (also for a removed or stopped one).</summary>
        public static async Task<FoamSession> ResolveAsync(EngineClient engine, string idOrName, CancellationToken ct)
        {
            FoamContainer? c = null;
            try { c = await FoamContainers.ResolveAsync(engine, idOrName, ct).ConfigureAwait(false); }
            catch (FoamException e) when (e.ErrorId == ErrorIds.ContainerNotFound) { }
            if (c == null || c.Application != ContainerSpec.SessionApplication || c.State != "running")
                throw new FoamException(ErrorIds.SessionNotFound, FoamErrorKind.ObjectNotFound,
                    $"There is no running FoamPS session '{idOrName}'. Start one with New-FoamSession; Get-FoamSession lists them.", idOrName);
            return From(c);
        }

        /// <summary>"" or "/sub/dir": where <paramref name="casePath"/> is inside the session's case; SessionCaseMismatch otherwise.</summary>
        public static string RelativeCase(FoamSession session, string casePath)
        {
            var root = session.Case.TrimEnd(Path.DirectorySeparatorChar);
            if (string.Equals(casePath, root, StringComparison.Ordinal)) return "";
            if (casePath.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return "/" + casePath.Substring(root.Length + 1).Replace('\\', '/');
            throw new FoamArgumentException(ErrorIds.SessionCaseMismatch,
                $"Session {session.Name} works on '{session.Case}', not on '{casePath}'. Use -Path inside the session's case, or start a session on this case.", casePath);
        }
    }
}
