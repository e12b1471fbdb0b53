using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace FoamPS.Isolation
{
    /// <summary>
    /// The load context FoamPS.dll (net8.0) and its private dependencies (the deps folder beside it) live in.
    /// PowerShell, the .NET runtime and other modules keep theirs: a module that loaded an older
    /// Microsoft.Extensions.Logging.Abstractions, BouncyCastle or SharpZipLib first no longer breaks FoamPS,
    /// and FoamPS never changes which version they get.
    /// </summary>
    /// <remarks>
    /// Assemblies that are not in the deps folder (System.Management.Automation, the runtime's own) come from
    /// the default context, so cmdlets, pipeline objects and errors are the same types PowerShell uses.
    /// So do the runtime's own assemblies when deps has a copy too (System.IO.Pipelines on .NET 10): one
    /// copy of a framework type in the process.
    /// </remarks>
    public sealed class FoamLoadContext : AssemblyLoadContext
    {
        private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Modules =
            new ConcurrentDictionary<string, Lazy<Assembly>>(StringComparer.Ordinal);

        private static readonly string RuntimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "";

        private readonly string _depsDir;

        private FoamLoadContext(string moduleAssemblyPath)
            : base("FoamPS " + moduleAssemblyPath, isCollectible: false)
        {
            _depsDir = Path.Combine(Path.GetDirectoryName(moduleAssemblyPath) ?? ".", "deps");
        }

        /// <summary>
        /// FoamPS.dll at <paramref name="moduleAssemblyPath"/>, loaded in its own context. One context and
        /// one assembly per path and process: Remove-Module/Import-Module, ForEach-Object -Parallel and
        /// thread jobs get the same assembly (the same types, the same shared engine clients).
        /// </summary>
        public static Assembly LoadModule(string moduleAssemblyPath)
        {
            var full = Path.GetFullPath(moduleAssemblyPath);
            return Modules.GetOrAdd(full, p => new Lazy<Assembly>(() => new FoamLoadContext(p).LoadFromAssemblyPath(p))).Value;
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            if (File.Exists(Path.Combine(RuntimeDir, name + ".dll"))) return null;
            var candidate = Path.Combine(_depsDir, name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
