#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a PowerShell Gallery package: publish, install from the package, run.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
}

Describe 'The FoamPS package' -Tag Engine {
    It 'publishes to a folder repository, installs from it, imports, and runs blockMesh on the cavity' {
        $work = Split-Path (New-TestDirectory)
        $repo = Join-Path $work 'repo'; $installed = Join-Path $work 'modules'
        New-Item -ItemType Directory -Path $repo, $installed | Out-Null
        $name = 'FoamPSTest' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
        Register-PSResourceRepository -Name $name -Uri $repo -Trusted
        try {
            Test-ModuleManifest $manifest | Should -Not -BeNullOrEmpty
            Publish-PSResource -Path (Get-TestModulePath) -Repository $name -SkipDependenciesCheck
            Get-ChildItem $repo -Filter 'FoamPS.*.nupkg' | Should -HaveCount 1
            Save-PSResource -Name FoamPS -Repository $name -Path $installed -TrustRepository
            $psd1 = Get-ChildItem $installed -Recurse -Filter FoamPS.psd1 | Select-Object -First 1
            $psd1 | Should -Not -BeNullOrEmpty
            $case = New-CavityCase
            try {
                $out = Invoke-ChildPwsh "Import-Module '$($psd1.FullName)'; (Get-Module FoamPS).ModuleBase; (Invoke-FoamCommand -Path '$case' -Command blockMesh -Image '$(Get-TestImage)').Succeeded"
                $out[0] | Should -Be $psd1.DirectoryName
                $out[1] | Should -Be 'True'
                Join-Path $case 'constant/polyMesh/points' | Should -Exist
            }
            finally { Remove-TestDirectory $case }
        }
        finally {
            Unregister-PSResourceRepository -Name $name
            Remove-Item -LiteralPath $work -Recurse -Force
        }
    }
}
