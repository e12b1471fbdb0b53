#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'Get-FoamContainerLog' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory; $script:image = Get-TestImage }
    AfterAll { Remove-TestDirectory $case }

    It '-Follow emits every line as it comes and ends when the container exits' {
        $c = Invoke-FoamCommand -Path $case -Command 'for i in 1 2 3 4 5; do echo "step $i"; sleep 0.4; done; printf "no newline"' -Image $image -Detach
        try {
            $lines = $c | Get-FoamContainerLog -Follow
            $lines | Should -Be @('step 1', 'step 2', 'step 3', 'step 4', 'step 5', 'no newline')
            (Get-FoamContainer -Id $c.Id).State | Should -Be 'exited'
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It '-Tail gives the last lines' {
        $c = Invoke-FoamCommand -Path $case -Command 'seq 1 100000' -LogPath "$case/log.seq" -Image $image -Detach
        try {
            $c | Wait-FoamContainer | Out-Null
            $c | Get-FoamContainerLog -Tail 3 | Should -Be @('99998', '99999', '100000')
            ($c | Get-FoamContainerLog).Count | Should -Be 100000
            $c | Get-FoamContainerLog -Tail 0 | Should -BeNullOrEmpty
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It 'a run without a log: LogNotFound; an unknown id: ContainerNotFound' {
        $c = Invoke-FoamCommand -Path $case -Command 'echo x' -Image $image -Detach -NoLog
        try {
            $null = $c, 'no-such-container' | Get-FoamContainerLog -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 2
            $errs.FullyQualifiedErrorId | Should -Contain 'LogNotFound,FoamPS.Commands.GetFoamContainerLogCommand'
            $errs.FullyQualifiedErrorId | Should -Contain 'ContainerNotFound,FoamPS.Commands.GetFoamContainerLogCommand'
        }
        finally { $c | Remove-FoamContainer -Force }
    }
}
