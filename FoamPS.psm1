# Loads the FoamPS build for this edition: net8.0 on PowerShell 7 (Core), netstandard2.0 on
# Windows PowerShell 5.1 (Desktop). Dependencies stay in each build's private deps/ folder.
# PowerShell 7.0-7.3 run on .NET 6/7, which cannot load a net8.0 assembly: they get netstandard2.0 too.
# $env:FOAMPS_FRAMEWORK = 'netstandard2.0' forces the build Windows PowerShell uses (to try it on PowerShell 7).
$framework = if ($env:FOAMPS_FRAMEWORK -in 'net8.0', 'netstandard2.0') { $env:FOAMPS_FRAMEWORK }
             elseif ($PSEdition -eq 'Core' -and [Environment]::Version.Major -ge 8) { 'net8.0' } else { 'netstandard2.0' }
$assembly = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'FoamPS.dll')
$inner = Import-Module -Name $assembly -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet @($inner.ExportedCmdlets.Keys) -Alias @($inner.ExportedAliases.Keys)
