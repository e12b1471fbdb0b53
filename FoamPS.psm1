# Loads the FoamPS build for this edition: net8.0 on PowerShell 7 (Core), netstandard2.0 on
# Windows PowerShell 5.1 (Desktop). Dependencies stay in each build's private deps/ folder.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$assembly = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'FoamPS.dll')
$inner = Import-Module -Name $assembly -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet @($inner.ExportedCmdlets.Keys) -Alias @($inner.ExportedAliases.Keys)
