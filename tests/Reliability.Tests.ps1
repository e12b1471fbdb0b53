#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Reliability: output that is hard to stream, and what a run's container may and may not do.
# (More of issue 9's suite — engine death, random stops, full disks — is still to come.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
    Import-Module $manifest -Force
    $script:image = Get-TestImage
}

Describe 'Output that is hard to stream' -Tag Engine, Reliability {
    BeforeAll { $script:case = New-TestDirectory }
    AfterAll { Remove-TestDirectory $case }

    It 'keeps the log byte-exact: <Name>' -ForEach @(
        @{ Name = 'one 50 MB line without a newline'; Command = 'head -c 52428800 /dev/zero | tr "\0" x' }
        @{ Name = 'invalid UTF-8 bytes'; Command = 'for i in $(seq 1 2000); do printf "ok \377\376 \300\200 \355\240\200 end\n"; done' }
        # About 10 MB of lines whose lengths vary, so the engine's 32 KiB frames cut characters in every way.
        @{ Name = 'multi-byte characters at every offset'; Command = 's=; for i in $(seq 1 200000); do s="${s}a"; [ ${#s} -gt 37 ] && s=a; printf "%s✓€😀\n" "$s"; done' }
        @{ Name = 'stdout and stderr interleaved at a high rate'; Command = 'for i in $(seq 1 20000); do echo "out $i"; echo "err $i" >&2; done' }
        @{ Name = 'carriage-return progress lines'; Command = 'for i in $(seq 1 20000); do printf "\rprogress %d%%" $((i % 101)); done; printf "\ndone\n"' }
    ) {
        # The container writes its output and, separately, the checksum of what it wrote.
        $script = "{ $Command; } > /tmp/expected 2>&1; sha256sum /tmp/expected | cut -d' ' -f1 > /tmp/sum; cat /tmp/expected; cp /tmp/sum expected.sha256"
        $r = Invoke-FoamCommand -Path $case -Command $script -LogPath (Join-Path $case 'out.log') -Image $image
        $r.Succeeded | Should -BeTrue
        (Get-FileHash -LiteralPath (Join-Path $case 'out.log') -Algorithm SHA256).Hash.ToLowerInvariant() |
            Should -Be (Get-Content -LiteralPath (Join-Path $case 'expected.sha256')).Trim()
        $r.OutputBytes | Should -Be (Get-Item -LiteralPath (Join-Path $case 'out.log')).Length
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }

    It 'shows a 50 MB line with -Verbose in bounded pieces, without holding it whole' {
        $verbose = Invoke-FoamCommand -Path $case -Command 'head -c 52428800 /dev/zero | tr "\0" y; echo; echo tail-line' -NoLog -Image $image -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $pieces = @($verbose | Where-Object { $_ -match '^y+$' })
        ($pieces | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 65536
        ($pieces | Measure-Object -Property Length -Sum).Sum | Should -Be 52428800
        $verbose | Should -Contain 'tail-line'
    }
}

Describe 'What a run''s container may do' -Tag Engine, Reliability {
    It 'is not privileged, gets no extra capabilities, mounts only the case and never the engine socket' {
        $case = New-TestDirectory
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 30' -Image $image -Detach -NoLog
        try {
            $inspect = docker inspect $c.Id | ConvertFrom-Json
            $inspect.HostConfig.Privileged | Should -BeFalse
            $inspect.HostConfig.CapAdd | Should -BeNullOrEmpty
            $inspect.HostConfig.SecurityOpt | Should -BeNullOrEmpty
            $inspect.HostConfig.PidMode | Should -BeNullOrEmpty
            $inspect.HostConfig.NetworkMode | Should -Be 'none'
            $inspect.Mounts | Should -HaveCount 1
            $inspect.Mounts[0].Source | Should -Be $case
            $inspect.Mounts[0].Destination | Should -Be '/home/openfoam/project'
            ($inspect.Mounts.Source + $inspect.HostConfig.Binds) -join ' ' | Should -Not -Match 'docker\.sock'
            $inspect.Config.User | Should -Be (Get-HostUser)
        }
        finally { $c | Remove-FoamContainer -Force; Remove-TestDirectory $case }
    }
}

Describe 'Stops at any moment' -Tag Engine, Reliability {
    It '20 stops at random moments (creating, starting, streaming, waiting) leave no container and never hang' {
        $case = New-TestDirectory
        $random = [Random]::new(20261204)
        try {
            for ($i = 0; $i -lt 20; $i++) {
                $ps = [PowerShell]::Create()
                try {
                    $null = $ps.AddScript("Import-Module '$manifest'; Invoke-FoamCommand -Path '$case' -Command 'echo go; sleep 3' -Image '$image'")
                    $async = $ps.BeginInvoke()
                    Start-Sleep -Milliseconds $random.Next(0, 1500)
                    $clock = [Diagnostics.Stopwatch]::StartNew()
                    $ps.Stop()
                    $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because "stop $i must not hang"
                    $async.IsCompleted | Should -BeTrue
                }
                finally { $ps.Dispose() }
            }
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'Many runs at once' -Tag Engine, Reliability {
    It '16 concurrent runs from ForEach-Object -Parallel: all succeed, all logs complete, no container left' {
        $parent = Split-Path (New-TestDirectory)
        try {
            $results = 1..16 | ForEach-Object -ThrottleLimit 16 -Parallel {
                Import-Module $using:manifest
                $case = Join-Path $using:parent "run$_"
                New-Item -ItemType Directory -Path $case | Out-Null
                Invoke-FoamCommand -Path $case -Command "seq 1 20000; echo run $_" -Image $using:image
            }
            $results | Should -HaveCount 16
            $results.Succeeded | Should -Not -Contain $false
            foreach ($n in 1..16) {
                $lines = Get-Content -LiteralPath (Join-Path $parent "run$n/log.seq")
                $lines.Count | Should -Be 20001
                $lines[-1] | Should -Be "run $n"
            }
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $parent -Recurse -Force }
    }
}
