using System;
using System.Collections.Generic;
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
    /// So does a runtime assembly that deps also has (System.IO.Pipelines on .NET 10), when the runtime's
    /// is at least as new: one copy of a framework type in the process.
    /// </remarks>
    public sealed class FoamLoadContext : AssemblyLoadContext
    {
        // One context per FoamPS.dll identity (name and version), whatever path it is reached by: two copies
        // of the same release (a symlink, another letter case, a second install) share their types.
        private static readonly Dictionary<string, Assembly> Modules = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        private static readonly string? RuntimeDir = RuntimeDirectory();

        private readonly string _depsDir;

        private FoamLoadContext(string name, string moduleAssemblyPath) : base(name, isCollectible: false)
        {
            _depsDir = Path.Combine(Path.GetDirectoryName(moduleAssemblyPath) ?? ".", "deps");
        }

        /// <summary>
        /// FoamPS.dll at <paramref name="moduleAssemblyPath"/>, loaded in its own context: once per release and
        /// process, so Remove-Module/Import-Module, ForEach-Object -Parallel and thread jobs get the same
        /// assembly (the same types, the same shared engine clients). A load that fails is not remembered.
        /// </summary>
        public static Assembly LoadModule(string moduleAssemblyPath)
        {
            var path = Path.GetFullPath(moduleAssemblyPath);
            var identity = AssemblyName.GetAssemblyName(path).FullName;
            lock (Modules)
            {
                if (Modules.TryGetValue(identity, out var loaded)) return loaded;
                var assembly = new FoamLoadContext("FoamPS " + identity + " from " + path, path).LoadFromAssemblyPath(path);
                Modules[identity] = assembly;
                return assembly;
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) return null;
            var candidate = Path.Combine(_depsDir, name + ".dll");
            if (!File.Exists(candidate)) return null;
            if (RuntimeDir != null)
            {
                var runtimeCopy = Path.Combine(RuntimeDir, name + ".dll");
                if (File.Exists(runtimeCopy) && AssemblyName.GetAssemblyName(runtimeCopy).Version >= AssemblyName.GetAssemblyName(candidate).Version)
                    return null;
            }
            return LoadFromAssemblyPath(candidate);
        }

        private static string? RuntimeDirectory()
        {
            var location = typeof(object).Assembly.Location;
            return string.IsNullOrEmpty(location) ? null : Path.GetDirectoryName(location);
        }
    }
}
