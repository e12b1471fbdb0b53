#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'Get-FoamContainer' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory; $script:image = Get-TestImage }
    AfterAll { Remove-TestDirectory $case }

    It 'finds containers by id prefix, name wildcard and case; unknown ids are ContainerNotFound' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 60' -Image $image -Detach -NoLog
        try {
            (Get-FoamContainer -Id $c.Id.Substring(0, 12)).Id | Should -Be $c.Id
            (Get-FoamContainer -Name 'foamps-*-sleep-*').Id | Should -Contain $c.Id
            (Get-FoamContainer -Case $case).Id | Should -Be $c.Id
            Get-FoamContainer -Case (Split-Path $case) | Should -BeNullOrEmpty
            $found = 'no-such-container', $c.Id | Get-FoamContainer -ErrorVariable errs -ErrorAction SilentlyContinue
            $found.Id | Should -Be $c.Id
            $errs[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,FoamPS.Commands.GetFoamContainerCommand'
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It '-Orphaned finds the container of a killed session''s attached run; Remove-FoamContainer -Orphaned removes only that' {
        $orphanCase = New-TestDirectory 'orphan'
        $liveCase = New-TestDirectory 'live'
        $pwsh = Get-PwshCommand
        $child = Start-Process -FilePath $pwsh[0] -PassThru -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command',
            "Import-Module '$(Join-Path (Get-TestModulePath) 'FoamPS.psd1')'; Invoke-FoamCommand -Path '$orphanCase' -Command 'sleep 600' -Image '$image'"))
        # An attached run of this (live) session, in another runspace.
        $live = [PowerShell]::Create()
        $null = $live.AddScript("Import-Module '$(Join-Path (Get-TestModulePath) 'FoamPS.psd1')'; Invoke-FoamCommand -Path '$liveCase' -Command 'sleep 600' -Image '$image'")
        $async = $live.BeginInvoke()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (((Get-FoamContainer -Case $orphanCase).Count -lt 1 -or (Get-FoamContainer -Case $liveCase).Count -lt 1) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $orphan = Get-FoamContainer -Case $orphanCase
            $orphan | Should -Not -BeNullOrEmpty
            Get-FoamContainer -Orphaned | Should -BeNullOrEmpty
            Stop-Process -Id $child.Id -Force   # SIGKILL: no cleanup runs
            $child.WaitForExit()

            (Get-FoamContainer -Orphaned).Id | Should -Be $orphan.Id
            Remove-FoamContainer -Orphaned
            docker ps -aq --filter "id=$($orphan.Id)" | Should -BeNullOrEmpty
            (Get-FoamContainer -Case $liveCase).State | Should -Be 'running'
            # The killed session's case is usable again at once.
            $again = Invoke-FoamCommand -Path $orphanCase -Command 'echo again' -Image $image
            $again.Succeeded | Should -BeTrue
            Get-Content (Join-Path $orphanCase 'log.echo') | Should -Be 'again'
        }
        finally {
            $live.Stop(); $live.Dispose()
            if (-not $child.HasExited) { $child.Kill() }
            Get-FoamContainer -All -Case $orphanCase | Remove-FoamContainer -Force
            Remove-TestDirectory $orphanCase; Remove-TestDirectory $liveCase
        }
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}
