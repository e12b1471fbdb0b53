#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Tab completion and -WhatIf: what PowerShell users meet first (concurrent runspaces: Reliability.Tests.ps1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
    Import-Module $manifest -Force
    $script:image = Get-TestImage
    function script:Complete([string] $Line) {
        [System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null).CompletionMatches.CompletionText
    }
}

Describe 'Argument completion' -Tag Engine {
    It '-Image completes local images' {
        $found = Complete 'Invoke-FoamCommand -Image foamps-test/openfoam:'
        $found | Should -Contain (Get-TestImage Debian)
        $found | Should -Contain (Get-TestImage OpenCfd)
        Complete 'Update-FoamImage foamps-test/openfoam:deb' | Should -Be (Get-TestImage Debian)
    }

    It '-Command offers the case''s application first, then OpenFOAM applications' {
        $case = New-CavityCase
        try {
            $found = @(Complete "Invoke-FoamCommand -Path '$case' -Command ")
            $found[0] | Should -Be 'icoFoam'
            $found | Should -Contain 'blockMesh'
            Complete "Invoke-FoamCommand -Path '$case' -Command simpl" | Should -Be 'simpleFoam'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'container ids and names complete with FoamPS''s containers only' {
        $case = New-TestDirectory
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 60' -Image $image -Detach -NoLog
        $other = docker run -d --rm --entrypoint /bin/sleep $image 60
        try {
            Complete "Stop-FoamContainer $($c.Id.Substring(0, 6))" | Should -Be $c.Id.Substring(0, 12)
            Complete "Get-FoamContainerStats -Id foamps-case-sleep" | Should -Contain $c.Name
            Complete "Remove-FoamContainer $($other.Substring(0, 6))" | Should -BeNullOrEmpty
        }
        finally { $c | Remove-FoamContainer -Force; docker rm -f $other | Out-Null; Remove-TestDirectory $case }
    }

    It 'a completer that cannot reach the engine offers nothing and does not throw' {
        Complete 'Invoke-FoamCommand -DockerHost tcp://127.0.0.1:1 -Image foam' | Should -BeNullOrEmpty
        Complete 'Get-FoamContainer -DockerHost tcp://127.0.0.1:1 -Id ab' | Should -BeNullOrEmpty
    }
}

Describe '-WhatIf' -Tag Engine {
    It '-WhatIf on Invoke-FoamCommand, New-FoamSession and Copy-FoamTutorial changes nothing' {
        $case = New-TestDirectory
        try {
            Invoke-FoamCommand -Path $case -Command 'touch made' -Image $image -WhatIf | Should -BeNullOrEmpty
            New-FoamSession -Path $case -Image $image -WhatIf | Should -BeNullOrEmpty
            Copy-FoamTutorial incompressible/icoFoam/cavity/cavity (Join-Path $case 'copy') -Image $image -WhatIf | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $case | Should -BeNullOrEmpty
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }

    It '-WhatIf on Remove-FoamSession and Export-FoamResidualPlot changes nothing' {
        $case = New-TestDirectory
        $session = New-FoamSession -Path $case -Image $image
        try {
            Remove-FoamSession $session -WhatIf
            docker inspect $session.Id --format '{{.State.Running}}' | Should -Be 'true'
            $log = Join-Path $case 'log.icoFoam'
            Set-Content $log "Time = 0.005`nDILUPBiCG:  Solving for Ux, Initial residual = 1, Final residual = 1e-06, No Iterations 5`nTime = 0.01`nDILUPBiCG:  Solving for Ux, Initial residual = 0.5, Final residual = 1e-06, No Iterations 4"
            Export-FoamResidualPlot -LogPath $log -Path (Join-Path $case 'plot.svg') -WhatIf | Should -BeNullOrEmpty
            Join-Path $case 'plot.svg' | Should -Not -Exist
        }
        finally { Remove-FoamSession $session -Confirm:$false; Remove-TestDirectory $case }
    }

    It 'every cmdlet that supports -WhatIf has a -WhatIf test' {
        $tests = Get-ChildItem -LiteralPath $PSScriptRoot -Filter *.Tests.ps1 | Get-Content -Raw
        $withShouldProcess = Get-Command -Module FoamPS -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name
        $withShouldProcess.Count | Should -BeGreaterThan 8
        $untested = $withShouldProcess | Where-Object { -not ($tests -match "$_ [^\r\n]*-WhatIf") }
        $untested | Should -BeNullOrEmpty
    }
}
