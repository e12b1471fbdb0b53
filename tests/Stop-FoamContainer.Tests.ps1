#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'Stop-FoamContainer' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory; $script:image = Get-TestImage }
    AfterAll { Remove-TestDirectory $case }

    It 'stops a sleep 600 within the grace period + 5 s' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 600' -Image $image -Detach -NoLog
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $stopped = $c | Stop-FoamContainer -Timeout 5 -PassThru
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $stopped.State | Should -Be 'exited'
            $stopped.Id | Should -Be $c.Id
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It 'kills a command that ignores SIGTERM after the grace period' {
        $c = Invoke-FoamCommand -Path $case -Command 'trap "" TERM; while :; do sleep 1; done' -Image $image -Detach -NoLog
        try {
            Start-Sleep -Milliseconds 500
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $c | Stop-FoamContainer -Timeout 2
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 7
            (Get-FoamContainer -Id $c.Id).State | Should -Be 'exited'
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It '-WhatIf stops nothing; an unknown id is ContainerNotFound' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 600' -Image $image -Detach -NoLog
        try {
            $c | Stop-FoamContainer -WhatIf
            (Get-FoamContainer -Id $c.Id).State | Should -Be 'running'
            'no-such-container' | Stop-FoamContainer -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,FoamPS.Commands.StopFoamContainerCommand'
        }
        finally { $c | Remove-FoamContainer -Force }
    }
}
