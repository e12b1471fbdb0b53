# Loads the FoamPS build for this edition: net8.0 on PowerShell 7 (Core), netstandard2.0 on
# Windows PowerShell 5.1 (Desktop). Dependencies stay in each build's private deps/ folder.
# PowerShell 7.0-7.3 run on .NET 6/7, which cannot load a net8.0 assembly: they get netstandard2.0 too.
# $env:FOAMPS_FRAMEWORK = 'netstandard2.0' forces the build Windows PowerShell uses (to try it on PowerShell 7).
$framework = if ($env:FOAMPS_FRAMEWORK -in 'net8.0', 'netstandard2.0') { $env:FOAMPS_FRAMEWORK }
             elseif ($PSEdition -eq 'Core' -and [Environment]::Version.Major -ge 8) { 'net8.0' } else { 'netstandard2.0' }
$bin = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework)
$assembly = [System.IO.Path]::Combine($bin, 'FoamPS.dll')
if ($framework -eq 'net8.0') {
    # PowerShell 7: FoamPS.dll and its dependencies get their own AssemblyLoadContext, so another module's
    # (older) copy of a dependency loaded first cannot break FoamPS, nor FoamPS's break it. One per process.
    $context = 'FoamPS.Isolation.FoamLoadContext' -as [type]
    if (-not $context) {
        Add-Type -LiteralPath ([System.IO.Path]::Combine($bin, 'FoamPS.Isolation.dll'))
        $context = 'FoamPS.Isolation.FoamLoadContext' -as [type]
    }
    try { $loaded = $context::LoadModule($assembly) }
    catch { throw $(if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception }) }
    # Two releases of one binary module's cmdlets cannot share a session: say so, rather than PowerShell's
    # "A cmdlet named ... already exists".
    $other = @(Get-Module FoamPS | Where-Object { @($_.NestedModules | Where-Object { $_.ImplementingAssembly -and $_.ImplementingAssembly.FullName -ne $loaded.FullName }).Count })
    if ($other) {
        throw "FoamPS $($other[0].Version) ($($other[0].ModuleBase)) is already imported in this session; PowerShell cannot hold the cmdlets of two FoamPS releases at once. Run 'Remove-Module FoamPS', then import this one again."
    }
    # Import-Module -Force leaves the previous inner module behind (this release's or another's), and
    # importing again would then hand back a stale one without its cmdlets, or clash with its cmdlets.
    $live = @(Get-Module FoamPS | ForEach-Object { $_.NestedModules })
    Get-Module -All | Where-Object { $_.Name -like 'dynamic_code_module_FoamPS,*' -and $_ -notin $live } | Remove-Module -Force
    $inner = Import-Module -Assembly $loaded -PassThru -ErrorAction Stop
}
else {
    # Windows PowerShell (and a forced netstandard2.0): one AppDomain; FoamPS's own resolver loads deps/.
    $inner = Import-Module -Name $assembly -PassThru -ErrorAction Stop
}
Export-ModuleMember -Cmdlet @($inner.ExportedCmdlets.Keys) -Alias @($inner.ExportedAliases.Keys)
