#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Warm sessions: one container, many commands through exec.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
    Import-Module $manifest -Force
    $script:image = Get-TestImage
}

Describe 'A FoamPS session' -Tag Engine {
    BeforeAll {
        $script:fresh = New-CavityCase -Name 'fresh'
        $script:warm = New-CavityCase -Name 'warm'
        $script:freshRuns = 'blockMesh', 'icoFoam' | ForEach-Object { Invoke-FoamCommand -Path $fresh -Command $_ -Image $image }
        $script:session = New-FoamSession -Path $warm -Image $image
        $script:warmRuns = 'blockMesh', 'icoFoam' | ForEach-Object { Invoke-FoamCommand -Session $session -Command $_ }
    }
    AfterAll {
        Get-FoamSession | Where-Object Case -EQ $warm | Remove-FoamSession
        Remove-TestDirectory $fresh; Remove-TestDirectory $warm
    }

    It 'is a labelled, running FoamSession listed by Get-FoamSession' {
        $session | Should -BeOfType ([FoamPS.FoamSession])
        $session.State | Should -Be 'running'
        $session.Case | Should -Be $warm
        (Get-FoamSession).Id | Should -Contain $session.Id
        (docker inspect $session.Id | ConvertFrom-Json).Config.Labels.'foamps.owner' | Should -Not -BeNullOrEmpty
    }

    It 'runs blockMesh then icoFoam through exec with the same outputs as fresh containers' {
        $warmRuns.Succeeded | Should -Be @($true, $true)
        $warmRuns.ContainerId | Sort-Object -Unique | Should -Be $session.Id
        $warmRuns.Application | Should -Be $freshRuns.Application
        foreach ($log in 'log.blockMesh', 'log.icoFoam') {
            # Same solver output, line for line, but for the header lines that name the host, PID, date and case.
            $strip = { param($p) Get-Content -LiteralPath $p | Where-Object { $_ -notmatch '^(Build|Arch|Exec|Date|Time|Host|PID|I/O|Case|nProcs|ExecutionTime|Create time)\s*[:=]|ExecutionTime' } }
            & $strip (Join-Path $warm $log) | Should -Be (& $strip (Join-Path $fresh $log))
        }
        Join-Path $warm '0.5/U' | Should -Exist
        stat -c '%u' (Join-Path $warm '0.5/U') | Should -Be (id -u)
    }

    It 'reports a failing command like a fresh run' {
        $r = Invoke-FoamCommand -Session $session -Command 'echo broken; exit 3' -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.ExitCode | Should -Be 3
        $errs[0].FullyQualifiedErrorId | Should -Be 'CommandFailed,FoamPS.Commands.InvokeFoamCommandCommand'
        Get-Content -LiteralPath (Join-Path $warm 'log.echo') | Should -Be 'broken'
    }

    It 'refuses a case outside the session: SessionCaseMismatch' {
        Invoke-FoamCommand -Session $session -Path $fresh -Command true -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'SessionCaseMismatch,FoamPS.Commands.InvokeFoamCommandCommand'
    }

    It 'removing it leaves nothing, and a removed session is SessionNotFound' {
        $session | Remove-FoamSession
        docker ps -aq --filter "id=$($session.Id)" | Should -BeNullOrEmpty
        $err = { Invoke-FoamCommand -Session $session -Command true } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'SessionNotFound,FoamPS.Commands.InvokeFoamCommandCommand'
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }

    It 'a session whose owner was killed is an orphan the sweep removes' {
        $case = New-TestDirectory 'orphan-session'
        try {
            $out = Invoke-ChildPwsh "Import-Module '$manifest'; (New-FoamSession -Path '$case' -Image '$image').Id; [Environment]::Exit(137)"
            $id = $out | Where-Object { $_ -match '^[0-9a-f]{64}$' }
            $id | Should -Not -BeNullOrEmpty
            (Get-FoamContainer -Orphaned).Id | Should -Contain $id
            Remove-FoamContainer -Orphaned
            docker ps -aq --no-trunc --filter "id=$id" | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }
}
