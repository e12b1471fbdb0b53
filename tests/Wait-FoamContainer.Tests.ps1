#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Detached runs: Invoke-FoamCommand -Detach, then Get-, Wait-, Get-...Log and Remove-FoamContainer.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'A detached run, from start to removal' -Tag Engine {
    BeforeAll {
        $script:image = Get-TestImage
        $script:case = New-RefinedCavityCase -EndTime 0.06
        (Invoke-FoamCommand -Path $case -Command blockMesh -Image $image).Succeeded | Should -BeTrue
        $script:started = Invoke-FoamCommand -Path $case -Command icoFoam -Image $image -Detach
        $script:listed = Get-FoamContainer
        $script:result = $started | Wait-FoamContainer -Timeout 300
        $script:afterWait = Get-FoamContainer -Id $started.Id
    }
    AfterAll {
        Remove-FoamContainer -Id $started.Id -Force -ErrorAction SilentlyContinue
        Remove-TestDirectory $case
    }

    It 'Invoke-FoamCommand -Detach returns a FoamContainer at once' {
        $started | Should -BeOfType ([FoamPS.FoamContainer])
        $started.Id | Should -Match '^[0-9a-f]{64}$'
        $started.Case | Should -Be $case
        $started.Command | Should -Be 'icoFoam'
        $started.Application | Should -Be 'icoFoam'
        $started.Image | Should -Be $image
        $started.LogPath | Should -Be (Join-Path $case 'log.icoFoam')
        $started.Detached | Should -BeTrue
        $started.Created | Should -BeGreaterThan (Get-Date).AddMinutes(-5)
    }

    It 'Get-FoamContainer shows it running' {
        $mine = $listed | Where-Object Id -EQ $started.Id
        $mine | Should -Not -BeNullOrEmpty
        $mine.State | Should -Be 'running'
        $mine.StartedAt | Should -Not -BeNullOrEmpty
        $mine.ExitCode | Should -BeNullOrEmpty
    }

    It 'Wait-FoamContainer returns a FoamRunResult with exit code 0' {
        $result | Should -BeOfType ([FoamPS.FoamRunResult])
        $result.ExitCode | Should -Be 0
        $result.Succeeded | Should -BeTrue
        $result.ContainerId | Should -Be $started.Id
        $result.Duration | Should -BeGreaterThan ([TimeSpan]::FromSeconds(1))
        $result.LogPath | Should -Be $started.LogPath
        $result.OutputBytes | Should -Be (Get-Item -LiteralPath $started.LogPath).Length
    }

    It 'the log, written by the container itself, ends with End' {
        (Get-Content -LiteralPath $started.LogPath | Where-Object { $_.Trim() } | Select-Object -Last 1).Trim() | Should -Be 'End'
        stat -c '%u:%g' $started.LogPath | Should -Be (Get-HostUser)
    }

    It 'after the wait it is listed with -All as exited, with its exit code and times' {
        $afterWait.State | Should -Be 'exited'
        $afterWait.ExitCode | Should -Be 0
        $afterWait.FinishedAt | Should -BeGreaterThan $afterWait.StartedAt
        Get-FoamContainer | Where-Object Id -EQ $started.Id | Should -BeNullOrEmpty
        Get-FoamContainer -All | Where-Object Id -EQ $started.Id | Should -Not -BeNullOrEmpty
    }

    It 'Remove-FoamContainer -WhatIf removes nothing; Remove-FoamContainer leaves nothing' {
        $started | Remove-FoamContainer -WhatIf
        docker ps -aq --no-trunc --filter "id=$($started.Id)" | Should -Be $started.Id
        $started | Remove-FoamContainer
        docker ps -aq --no-trunc --filter "id=$($started.Id)" | Should -BeNullOrEmpty
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}

Describe 'Wait-FoamContainer' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory; $script:image = Get-TestImage }
    AfterAll { Remove-TestDirectory $case }

    It 'reports a failed detached run as CommandFailed, after the result' {
        $c = Invoke-FoamCommand -Path $case -Command 'echo about to fail; exit 7' -Image $image -Detach
        try {
            $r = $c | Wait-FoamContainer -ErrorVariable errs -ErrorAction SilentlyContinue
            $r.ExitCode | Should -Be 7
            $r.Succeeded | Should -BeFalse
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CommandFailed,FoamPS.Commands.WaitFoamContainerCommand'
            $errs[0].Exception | Should -BeOfType ([FoamPS.FoamCommandFailedException])
            $errs[0].Exception.Message | Should -Match 'about to fail'
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It 'gives up after -Timeout with WaitTimeout and leaves the container running' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 60' -Image $image -Detach -NoLog
        try {
            $err = { $c | Wait-FoamContainer -Timeout 1 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'WaitTimeout,FoamPS.Commands.WaitFoamContainerCommand'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            (Get-FoamContainer -Id $c.Id).State | Should -Be 'running'
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It 'takes FoamRunResult objects and ids, and reports unknown ones as ContainerNotFound' {
        $c = Invoke-FoamCommand -Path $case -Command 'true' -Image $image -Detach -NoLog
        try {
            $results = 'no-such-container', $c.Name | Wait-FoamContainer -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,FoamPS.Commands.WaitFoamContainerCommand'
            $results | Should -HaveCount 1
            ($results | Wait-FoamContainer).ContainerId | Should -Be $c.Id
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It 'a detached run''s log is complete even when the session that started it is killed' {
        $out = Invoke-ChildPwsh "Import-Module '$(Join-Path (Get-TestModulePath) 'FoamPS.psd1')'; (Invoke-FoamCommand -Path '$case' -Command 'sleep 2; seq 1 5000' -LogPath '$case/log.seq' -Image '$image' -Detach).Id; [Environment]::Exit(137)"
        $id = $out | Where-Object { $_ -match '^[0-9a-f]{64}$' }
        $id | Should -Not -BeNullOrEmpty
        try {
            (Wait-FoamContainer -Id $id -Timeout 60).ExitCode | Should -Be 0
            $lines = Get-Content -LiteralPath "$case/log.seq"
            $lines.Count | Should -Be 5000
            $lines[-1] | Should -Be '5000'
        }
        finally { Remove-FoamContainer -Id $id -Force }
    }

    It 'refuses a detached -LogPath outside the case: LogOutsideCase' {
        $err = { Invoke-FoamCommand -Path $case -Command true -Image $image -Detach -LogPath (Join-Path (Split-Path $case) 'x.log') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'LogOutsideCase,FoamPS.Commands.InvokeFoamCommandCommand'
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}
