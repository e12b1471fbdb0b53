using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace FoamPS
{
    /// <summary>
    /// Dependency isolation: FoamPS's dependencies live in a private "deps" folder beside
    /// FoamPS.dll, where neither PowerShell nor other modules look. When the runtime cannot find
    /// one of them by itself, this resolver loads it from there, and only from there.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DepsDir =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "deps");

        private static int _registered;

        /// <summary>Registers the resolver once per process, however often the module is imported.</summary>
        public void OnImport()
        {
            if (System.Threading.Interlocked.Exchange(ref _registered, 1) == 0) AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (System.Threading.Interlocked.Exchange(ref _registered, 0) == 1) AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            if (name.Name == null) return null;
            var candidate = Path.Combine(DepsDir, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;

            // Only for requests that come from FoamPS or its own dependencies (dynamic assemblies,
            // such as PowerShell classes, have no location and are never ours).
            try
            {
                var requester = args.RequestingAssembly;
                if (requester == null || requester.IsDynamic || !IsOurs(requester.Location)) return null;
                return Assembly.LoadFrom(candidate);
            }
            catch (Exception e) when (e is NotSupportedException || e is IOException || e is BadImageFormatException)
            {
                return null;
            }
        }

        private static bool IsOurs(string path)
        {
            var dir = Path.GetDirectoryName(path) ?? "";
            return string.Equals(dir, DepsDir, StringComparison.OrdinalIgnoreCase) ||
                   string.Equals(dir, Path.GetDirectoryName(DepsDir), StringComparison.OrdinalIgnoreCase);
        }
    }
}
