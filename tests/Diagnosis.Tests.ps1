#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Failed runs explained: each case is a real OpenFOAM run that fails the way users' runs do.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:image = Get-TestImage

    function script:Invoke-Failing([string] $Case, [string] $Command, [hashtable] $Extra = @{}, [string] $ErrorId = 'CommandFailed') {
        $result = Invoke-FoamCommand -Path $Case -Command $Command -Image $image -ErrorVariable errs -ErrorAction SilentlyContinue @Extra
        $result.Succeeded | Should -BeFalse
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be "$ErrorId,FoamPS.Commands.InvokeFoamCommandCommand"
        $errs[0].Exception | Should -BeOfType ([FoamPS.FoamCommandFailedException])
        Get-FoamTestContainer | Should -BeNullOrEmpty
        [pscustomobject]@{ Result = $result; Error = $errs[0] }
    }
}

Describe 'Invoke-FoamCommand explains failed runs' -Tag Engine {
    It 'a misspelled scheme in fvSchemes: FOAM FATAL IO ERROR naming the file and line' {
        $case = New-CavityCase
        try {
            Invoke-FoamCommand -Path $case -Command blockMesh -Image $image | Out-Null
            $schemes = Join-Path $case 'system/fvSchemes'
            (Get-Content -Raw $schemes) -replace 'Gauss linear;', 'Gausss linear;' | Set-Content -NoNewline $schemes
            $f = Invoke-Failing $case icoFoam
            $f.Error.Exception.Summary | Should -Match '^FOAM FATAL IO ERROR in system/fvSchemes at line \d+: Unknown convection type Gausss$'
            $f.Error.Exception.Message | Should -Match 'system/fvSchemes'
            $f.Result.FatalError | Should -Match '^--> FOAM FATAL IO ERROR'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a missing mesh: FOAM FATAL ERROR' {
        $case = New-CavityCase
        try {
            $f = Invoke-Failing $case icoFoam
            $f.Error.Exception.Summary | Should -Match '^FOAM FATAL ERROR'
            $f.Error.Exception.Summary | Should -Match 'points'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a diverging run (huge deltaT): a floating point exception, with the time it happened' {
        $case = New-CavityCase
        try {
            Invoke-FoamCommand -Path $case -Command blockMesh -Image $image | Out-Null
            $control = Join-Path $case 'system/controlDict'
            (Get-Content -Raw $control) -replace '(?m)^deltaT .*$', 'deltaT 0.2;' -replace '(?m)^endTime .*$', 'endTime 20;' | Set-Content -NoNewline $control
            $f = Invoke-Failing $case icoFoam
            $f.Result.ExitCode | Should -Be 136
            $f.Error.Exception.Summary | Should -Match '^Floating point exception \(SIGFPE\) at Time = [\d.]+: the solution diverged'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a process killed by the memory limit: OutOfMemory (still a FoamCommandFailedException), exit 137' {
        $case = New-TestDirectory
        try {
            # tail keeps a line without newline whole in memory: 1 GB of zeros against a 64 MB limit.
            $f = Invoke-Failing $case 'head -c 1000000000 /dev/zero | tail -n 1 > /dev/null' @{ Memory = '64MB' } -ErrorId OutOfMemory
            $f.Error.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $f.Result.ExitCode | Should -Be 137
            $f.Result.OutOfMemory | Should -BeTrue
            $f.Error.Exception.Summary | Should -Match '^Killed for running out of memory'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a mistyped command: names it, suggests the application it may have been, no shell internals' {
        $case = New-CavityCase
        try {
            $before = Get-TreeFingerprint $case
            $failed = Invoke-Failing $case 'blockMeshh'
            $failed.Error.Exception.Message | Should -BeLike "*'blockMeshh' is not a command in the image*Did you mean 'blockMesh'?"
            $failed.Error.Exception.Message | Should -Not -Match 'foamps: line'
            $failed.Error.Exception.ExitCode | Should -Be 127
            # Bad input changes nothing in the case: no log.blockMeshh is left behind.
            Join-Path $case 'log.blockMeshh' | Should -Not -Exist
            $failed.Result.LogPath | Should -BeNullOrEmpty
            Get-TreeFingerprint $case | Should -Be $before
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a case without system/controlDict: the error names the file by its path on this machine' {
        $case = New-TestDirectory
        try {
            New-Item -ItemType Directory (Join-Path $case 'system') | Out-Null
            $failed = Invoke-Failing $case 'icoFoam'
            $expected = [IO.Path]::Combine($case, 'system', 'controlDict')
            $failed.Error.Exception.Message | Should -BeLike "*$expected*"
            $failed.Error.Exception.Message | Should -Not -Match '/home/openfoam/project'
            $failed.Error.Exception.Summary | Should -Not -Match '/home/openfoam/project'
            $failed.Result.FatalError | Should -Not -Match '/home/openfoam/project'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a malformed -Memory: InvalidMemory' {
        $case = New-TestDirectory
        try {
            $err = { Invoke-FoamCommand -Path $case -Command true -Image $image -Memory 'lots' } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'InvalidMemory,FoamPS.Commands.InvokeFoamCommandCommand'
            Get-ChildItem -LiteralPath $case | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }
}
