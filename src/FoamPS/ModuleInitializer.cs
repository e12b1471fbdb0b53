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

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            if (name.Name == null) return null;
            var candidate = Path.Combine(DepsDir, name.Name + ".dll");
            if (!File.Exists(candidate)) return null;

            // Only for requests that come from FoamPS or its own dependencies.
            var requester = args.RequestingAssembly?.Location;
            if (requester != null && !IsOurs(requester)) return null;
            return Assembly.LoadFrom(candidate);
        }

        private static bool IsOurs(string path)
        {
            var dir = Path.GetDirectoryName(path) ?? "";
            return string.Equals(dir, DepsDir, StringComparison.OrdinalIgnoreCase) ||
                   string.Equals(dir, Path.GetDirectoryName(DepsDir), StringComparison.OrdinalIgnoreCase);
        }
    }
}
