#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Invoke-FoamCommand at scale: MPI runs, many cases with a throttle, resource limits.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:image = Get-TestImage

    # The cell values of a volVectorField file, as doubles.
    function script:Read-Vectors([string] $Path) {
        $inv = [Globalization.CultureInfo]::InvariantCulture
        Get-Content -LiteralPath $Path | Where-Object { $_ -match '^\(\S+ \S+ \S+\)$' } | ForEach-Object {
            $_.Trim('(', ')') -split ' ' | ForEach-Object { [double]::Parse($_, $inv) }
        }
    }
}

Describe 'Invoke-FoamCommand -Parallel' -Tag Engine {
    BeforeAll {
        $script:serial = New-CavityCase -Name 'serial'
        Invoke-FoamCommand -Path $serial -Command blockMesh -Image $image | Out-Null
        Invoke-FoamCommand -Path $serial -Command icoFoam -Image $image | Out-Null
        $script:parallel = New-CavityCase -Name 'parallel'
        Invoke-FoamCommand -Path $parallel -Command blockMesh -Image $image | Out-Null
        $script:results = Invoke-FoamCommand -Path $parallel -Command icoFoam -Parallel 2 -Image $image -WarningVariable warnings
    }
    AfterAll { Remove-TestDirectory $serial; Remove-TestDirectory $parallel }

    It 'runs decomposePar, mpirun -np 2 icoFoam -parallel and reconstructPar, each with its result and log' {
        $results | Should -HaveCount 3
        $results.Application | Should -Be @('decomposePar', 'icoFoam', 'reconstructPar')
        $results.Succeeded | Should -Be @($true, $true, $true)
        $results[1].Command | Should -BeLike 'mpirun -np 2 icoFoam*-parallel*'
        foreach ($log in 'log.decomposePar', 'log.icoFoam', 'log.reconstructPar') {
            # A parallel run ends with "End" then "Finalising parallel run".
            Get-Content -LiteralPath (Join-Path $parallel $log) | Where-Object { $_.Trim() -eq 'End' } | Should -Not -BeNullOrEmpty
        }
        Join-Path $parallel 'processor0/0.5/U' | Should -Exist
        Join-Path $parallel 'processor1/0.5/U' | Should -Exist
        Join-Path $parallel '0.5/U' | Should -Exist
    }

    It 'writes a decomposeParDict when the case has none, and says so' {
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'decomposeParDict'
        Get-Content -LiteralPath (Join-Path $parallel 'system/decomposeParDict') | Should -Contain 'numberOfSubdomains 2;'
    }

    It 'reconstructs the same velocity field as the serial run, within 1e-5' {
        $a = @(Read-Vectors (Join-Path $serial '0.5/U'))
        $b = @(Read-Vectors (Join-Path $parallel '0.5/U'))
        $a.Count | Should -Be 1200
        $b.Count | Should -Be $a.Count
        $worst = 0.0
        for ($i = 0; $i -lt $a.Count; $i++) { $worst = [math]::Max($worst, [math]::Abs($a[$i] - $b[$i])) }
        $worst | Should -BeLessThan 1e-5
    }

    It 'sets numberOfSubdomains in an existing decomposeParDict and keeps its other settings' {
        $dict = Join-Path $parallel 'system/decomposeParDict'
        Set-Content -LiteralPath $dict -Value "FoamFile { version 2.0; format ascii; class dictionary; object decomposeParDict; }`nnumberOfSubdomains 4;`nmethod simple;`nsimpleCoeffs { n (2 1 1); delta 0.001; }"
        $r = Invoke-FoamCommand -Path $parallel -Command icoFoam -Parallel 2 -NoReconstruct -Image $image -WarningVariable w
        $r.Application | Should -Be @('decomposePar', 'icoFoam')
        $w[0] | Should -Match 'from 4 to 2'
        $text = Get-Content -Raw -LiteralPath $dict
        $text | Should -Match 'numberOfSubdomains 2;'
        $text | Should -Match 'simpleCoeffs \{ n \(2 1 1\); delta 0.001; \}'
    }
}

Describe 'Invoke-FoamCommand on many cases' -Tag Engine {
    It 'runs 8 cases with -ThrottleLimit 2: never more than 2 containers at once; the broken case fails alone' {
        $first = New-CavityCase -Name 'c1'
        $parent = Split-Path $first
        try {
            2..8 | ForEach-Object { Copy-Item -LiteralPath $first -Destination (Join-Path $parent "c$_") -Recurse }
            Remove-Item -LiteralPath (Join-Path $parent 'c5/system/blockMeshDict')
            $sampler = Start-ThreadJob {
                $max = 0
                while (-not (Test-Path -LiteralPath $using:parent/done)) {
                    $n = @(docker ps -q --filter label=foamps.owner).Count
                    if ($n -gt $max) { $max = $n }
                    Start-Sleep -Milliseconds 50
                }
                $max
            }
            $results = Get-ChildItem -LiteralPath $parent -Directory | Invoke-FoamCommand -Command 'blockMesh && icoFoam' -ThrottleLimit 2 -Image $image -ErrorVariable errs -ErrorAction SilentlyContinue
            New-Item -ItemType File -Path (Join-Path $parent 'done') | Out-Null
            $most = Receive-Job $sampler -Wait -AutoRemoveJob
            $results | Should -HaveCount 8
            @($results | Where-Object Succeeded).Count | Should -Be 7
            ($results | Where-Object { -not $_.Succeeded }).Case | Should -Be (Join-Path $parent 'c5')
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'CommandFailed,FoamPS.Commands.InvokeFoamCommandCommand'
            $most | Should -BeGreaterThan 0
            $most | Should -BeLessOrEqual 2
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $first }
    }
}

Describe 'Invoke-FoamCommand resource limits' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory; $script:fingerprint = Get-TreeFingerprint $case }
    AfterAll { Remove-TestDirectory $case }

    It 'are visible in docker inspect' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 30' -Image $image -Detach -NoLog -Cpus 1.5 -CpusetCpus 0 -Memory 64MB
        try {
            $hostConfig = (docker inspect $c.Id | ConvertFrom-Json).HostConfig
            $hostConfig.NanoCpus | Should -Be 1500000000
            $hostConfig.CpusetCpus | Should -Be '0'
            $hostConfig.Memory | Should -Be 67108864
        }
        finally { $c | Remove-FoamContainer -Force }
    }

    It 'runs without a network unless -Network asks for one' {
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 30' -Image $image -Detach -NoLog
        $b = Invoke-FoamCommand -Path $case -Command 'sleep 30' -Image $image -Detach -NoLog -Network bridge
        try {
            (docker inspect $c.Id | ConvertFrom-Json).HostConfig.NetworkMode | Should -Be 'none'
            (docker inspect $b.Id | ConvertFrom-Json).HostConfig.NetworkMode | Should -Be 'bridge'
            $r = Invoke-FoamCommand -Path $case -Command 'cat /sys/class/net/*/operstate | sort | tr "\n" " "' -Image $image -NoLog -Network bridge
            $r.Succeeded | Should -BeTrue
        }
        finally { $c, $b | Remove-FoamContainer -Force }
    }

    It 'bad limits and counts: <Id>' -ForEach @(
        @{ Id = 'InvalidParallel'; Extra = @{ Parallel = 0 } }
        @{ Id = 'InvalidCpus'; Extra = @{ Cpus = -1 } }
        @{ Id = 'InvalidCpuset'; Extra = @{ CpusetCpus = 'x' } }
        @{ Id = 'InvalidMemory'; Extra = @{ Memory = 'lots' } }
        @{ Id = 'InvalidThrottleLimit'; Extra = @{ ThrottleLimit = 0 } }
    ) {
        $err = { Invoke-FoamCommand -Path $case -Command true -Image $image @Extra -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "$Id,FoamPS.Commands.InvokeFoamCommandCommand"
        Get-FoamTestContainer | Should -BeNullOrEmpty
        Get-TreeFingerprint $case | Should -Be $fingerprint
    }

    It '-NoDecompose with a different number of processor directories: ParallelMismatch' {
        $err = { Invoke-FoamCommand -Path $case -Command icoFoam -Image $image -Parallel 2 -NoDecompose -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ParallelMismatch,FoamPS.Commands.InvokeFoamCommandCommand'
        Get-FoamTestContainer | Should -BeNullOrEmpty
        Get-TreeFingerprint $case | Should -Be $fingerprint
    }
}
