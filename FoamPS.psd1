@{
    RootModule           = 'FoamPS.psm1'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5c0f3a52-7d36-4f0e-9a49-2f3b8f5e0a17'
    Author               = 'The FoamPS authors'
    CompanyName          = 'FoamPS'
    Copyright            = '(c) 2026 The FoamPS authors. MIT License.'
    Description          = 'Run OpenFOAM commands in Docker containers from PowerShell, through the Docker Engine API, with typed results, logs and clear errors.'
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('FoamPS.format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Invoke-FoamCommand'
        'Get-FoamContainer'
        'Wait-FoamContainer'
        'Stop-FoamContainer'
        'Remove-FoamContainer'
        'Get-FoamContainerLog'
        'Get-FoamContainerStats'
        'Update-FoamImage'
        'Get-FoamImage'
        'Get-FoamResidual'
        'Get-FoamTimeStep'
        'Export-FoamResidualPlot'
        'Copy-FoamTutorial'
        'New-FoamSession'
        'Get-FoamSession'
        'Remove-FoamSession'
        'Test-FoamEngine'
        'Get-FoamEngine'
        'New-FoamNetwork'
        'Get-FoamNetwork'
        'Remove-FoamNetwork'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OpenFOAM', 'CFD', 'Docker', 'Containers', 'Simulation', 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
