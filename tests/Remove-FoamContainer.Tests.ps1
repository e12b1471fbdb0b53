#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'Remove-FoamContainer' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory; $script:image = Get-TestImage }
    AfterAll { Remove-TestDirectory $case }

    It 'refuses a running container without -Force (ContainerRunning), and removes it with -Force' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 600' -Image $image -Detach -NoLog
        try {
            $c | Remove-FoamContainer -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'ContainerRunning,FoamPS.Commands.RemoveFoamContainerCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $errs[0].Exception.Message | Should -Match '-Force'
            (Get-FoamContainer -Id $c.Id).State | Should -Be 'running'
            $c | Remove-FoamContainer -Force -WhatIf
            (Get-FoamContainer -Id $c.Id).State | Should -Be 'running'
            $c | Remove-FoamContainer -Force
            docker ps -aq --filter "id=$($c.Id)" | Should -BeNullOrEmpty
        }
        finally { docker rm -f $c.Id 2>$null | Out-Null }
    }

    It 'never touches containers that are not FoamPS''s' {
        $other = docker run -d --rm --entrypoint /bin/sleep $image 60
        try {
            Remove-FoamContainer -Id $other -Force -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,FoamPS.Commands.RemoveFoamContainerCommand'
            docker ps -q --no-trunc --filter "id=$other" | Should -Be $other
        }
        finally { docker rm -f $other | Out-Null }
    }
}
