#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'Get-FoamImage' -Tag Engine {
    It 'returns a typed image for an exact reference' {
        $image = Get-FoamImage (Get-TestImage)
        $image | Should -HaveCount 1
        $image | Should -BeOfType ([FoamPS.FoamImage])
        $image.Reference | Should -Be (Get-TestImage)
        $image.Id | Should -Be (docker image inspect --format '{{.Id}}' (Get-TestImage))
        $image.SizeBytes | Should -BeGreaterThan 100MB
        $image.Created | Should -BeOfType ([datetime])
    }

    It 'matches wildcards, and a name without a tag matches all its tags' {
        $all = Get-FoamImage 'foamps-test/openfoam:*'
        $all.Reference | Should -Contain (Get-TestImage Debian)
        $all.Reference | Should -Contain (Get-TestImage OpenCfd)
        (Get-FoamImage 'foamps-test/openfoam').Reference | Sort-Object | Should -Be ($all.Reference | Sort-Object)
        (Get-FoamImage 'FOAMPS-TEST/*').Count | Should -BeGreaterOrEqual 2
    }

    It 'an unmatched pattern returns nothing, without an error' {
        Get-FoamImage 'no-such-repo/*' -ErrorVariable errs | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
    }

    It 'an exact name that is missing: ImageNotFound' {
        Get-FoamImage 'no-such-repo/image:1', (Get-TestImage) -ErrorVariable errs -ErrorAction SilentlyContinue | Should -HaveCount 1
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,FoamPS.Commands.GetFoamImageCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
