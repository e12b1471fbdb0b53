#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Reliability: output that is hard to stream, what a run's container may and may not do, stops at
# any moment, many runs at once, an engine that dies during a run, and cases that cannot be written.

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

Describe 'A stop while the engine is creating the container' -Tag Engine, Reliability {
    It 'leaves no container even when the engine creates it after the stop (deterministic, through a delaying proxy)' {
        # The engine gets the create request 2 s late, after Ctrl+C: a removal by name sent at the stop finds
        # nothing, and the container appears afterwards. FoamPS must wait for the answer and remove it.
        $case = New-TestDirectory
        $proxy = Start-DelayingEngineProxy -Match '/containers/create' -Delay ([TimeSpan]::FromSeconds(2))
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$manifest'; Invoke-FoamCommand -Path '$case' -Command 'sleep 30' -Image '$image' -DockerHost 'tcp://127.0.0.1:$($proxy.Port)'")
            $async = $ps.BeginInvoke()
            $proxy.Held.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'the run must reach the create request'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'a stop must not hang'
            $async.IsCompleted | Should -BeTrue
            $proxy.Forwarded.Wait([TimeSpan]::FromSeconds(10)) | Should -BeTrue -Because 'the held request reaches the engine'
            # Give a late create its time to land, then nothing may be left.
            $deadline = [DateTime]::UtcNow.AddSeconds(8)
            Start-Sleep -Seconds 2
            while ((Get-FoamTestContainer) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 250 }
            Get-FoamTestContainer | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $case -Force | Should -BeNullOrEmpty -Because 'the case is left as it was'
        }
        finally {
            $ps.Dispose(); if ($proxy) { $proxy.Dispose() }
            Get-FoamTestContainer | ForEach-Object { docker rm -f $_ | Out-Null }
            Remove-TestDirectory $case
        }
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

Describe 'Runs from thread jobs' -Tag Engine, Reliability {
    It '4 Start-ThreadJob runs share the engine connection: all succeed, no container left' {
        $parent = Split-Path (New-TestDirectory)
        try {
            $jobs = 1..4 | ForEach-Object {
                Start-ThreadJob -ThrottleLimit 4 -ArgumentList $_ {
                    param($n)
                    Import-Module $using:manifest
                    $case = Join-Path $using:parent "job$n"
                    New-Item -ItemType Directory -Path $case | Out-Null
                    Invoke-FoamCommand -Path $case -Command "echo job $n" -Image $using:image
                }
            }
            $results = $jobs | Receive-Job -Wait -AutoRemoveJob -ErrorVariable jobErrors
            $jobErrors | Should -BeNullOrEmpty
            $results | Should -HaveCount 4
            $results.Succeeded | Should -Not -Contain $false
            foreach ($n in 1..4) { Get-Content -LiteralPath (Join-Path $parent "job$n/log.echo") | Should -Be "job $n" }
            # One module assembly in the process: the jobs' runs are the types this runspace knows.
            $results[0] | Should -BeOfType ([FoamPS.FoamRunResult])
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $parent -Recurse -Force }
    }
}

Describe 'The engine dies during a run' -Tag Engine, Reliability, Remote {
    BeforeAll {
        # A second, disposable engine (the main one serves the other tests): killed and restarted here.
        $script:engine = Start-TestTlsEngine -Image $image
        $script:remote = if ($engine) { @{ DockerHost = $engine.Host; TlsCertPath = $engine.CertPath } } else { @{} }
    }
    AfterAll { Stop-TestTlsEngine $engine }

    It 'ends with a ConnectionError within 15 s, keeps the log, and FoamPS works again once the engine is back, leaving no container' {
        if (-not $engine) { Set-ItResult -Skipped -Because 'killing and restarting a dockerd needs root (CI runs as root)'; return }
        $case = New-TestDirectory
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript({
                param($manifest, $case, $image, $remote)
                Import-Module $manifest
                try { Invoke-FoamCommand -Path $case -Command 'echo started; for i in $(seq 1 600); do echo tick $i; sleep 0.1; done' -Image $image @remote -ErrorAction Stop; 'no error' }
                catch { $_ }
            }).AddParameters(@{ manifest = $manifest; case = $case; image = $image; remote = $remote })
            $async = $ps.BeginInvoke()
            $log = Join-Path $case 'log.echo'
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Test-Path $log) -and (Get-Content $log -Raw) -match 'tick 5\b') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-Content $log -Raw | Should -Match 'tick 5\b'

            $enginePid = [int](Get-Content (Join-Path $engine.Directory 'dockerd.pid'))
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Stop-Process -Id $enginePid -Force     # SIGKILL: the engine gets no chance to close anything
            $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(15)) | Should -BeTrue -Because 'the run must not hang when its engine dies'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
            $err = @($ps.EndInvoke($async))[0]
            $err | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
            $err.FullyQualifiedErrorId | Should -BeLike 'EngineUnreachable,*'
            $err.Exception.Message | Should -BeLike "*$($engine.Host)*"
            # Everything the container wrote before the fault is in the log, in order.
            $lines = Get-Content $log
            $lines[0] | Should -Be 'started'
            $ticks = @($lines | Select-Object -Skip 1)
            $ticks.Count | Should -BeGreaterThan 4
            $ticks | Should -Be @(1..$ticks.Count | ForEach-Object { "tick $_" })

            # Back up on the same port and data: the same process, without re-importing, runs again
            # and removes the container it could not remove while the engine was down.
            bash (Join-Path $PSScriptRoot 'fixtures/start-tls-engine.sh') $engine.Directory $engine.Port | Write-Host
            $LASTEXITCODE | Should -Be 0
            $r = Invoke-FoamCommand -Path $case -Command 'echo again' -Image $image @remote
            $r.Succeeded | Should -BeTrue
            Get-Content (Join-Path $case 'log.echo') | Should -Be 'again'
            @(Invoke-TlsDocker $engine ps -aq --filter label=foamps.owner) | Where-Object { $_ } | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose(); Remove-TestDirectory $case }
    }
}

Describe 'Cases and logs that cannot be written' -Tag Engine, Reliability {
    BeforeAll {
        $script:root = (id -u) -eq '0'
        # Per-case failures are non-terminating: -ErrorAction Stop in the calls makes them catchable here.
        function script:Get-Failure([scriptblock] $Run) { try { & $Run | Out-Null; $null } catch { $_ } }
    }

    It 'a read-only case: LogNotWritable before anything starts, the case untouched' {
        if (-not $root) { Set-ItResult -Skipped -Because 'a read-only bind mount needs root (and root ignores file modes, so chmod would not make it read-only)'; return }
        $case = New-CavityCase
        try {
            mount --bind $case $case
            mount -o remount,bind,ro $case
            $before = Get-TreeFingerprint $case
            $err = Get-Failure { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be 'LogNotWritable,FoamPS.Commands.InvokeFoamCommandCommand'
            $err.CategoryInfo.Category | Should -Be 'WriteError'
            $err.Exception.Message | Should -BeLike '*Nothing was started*'
            Get-TreeFingerprint $case | Should -Be $before
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { umount $case 2>$null; Remove-TestDirectory $case }
    }

    It 'a read-only case with -NoLog: the command fails clearly and nothing is changed' {
        if (-not $root) { Set-ItResult -Skipped -Because 'a read-only bind mount needs root'; return }
        $case = New-CavityCase
        try {
            mount --bind $case $case
            mount -o remount,bind,ro $case
            $before = Get-TreeFingerprint $case
            $err = Get-Failure { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -NoLog -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -BeLike 'CommandFailed,*'
            $err.Exception.FatalError | Should -Not -BeNullOrEmpty
            Get-TreeFingerprint $case | Should -Be $before
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { umount $case 2>$null; Remove-TestDirectory $case }
    }

    It 'a log path that is a directory: LogNotWritable, nothing started, the previous log kept' {
        $case = New-CavityCase
        try {
            Set-Content (Join-Path $case 'log.blockMesh') 'previous'
            $err = Get-Failure { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -LogPath (Join-Path $case 'system') -ErrorAction Stop }
            $err.FullyQualifiedErrorId | Should -Be 'LogNotWritable,FoamPS.Commands.InvokeFoamCommandCommand'
            Join-Path $case 'constant/polyMesh' | Should -Not -Exist   # blockMesh never ran
            Get-Content (Join-Path $case 'log.blockMesh') | Should -Be 'previous'
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a full disk (a 1 MiB tmpfs): LogNotWritable saying how much was written, the container stopped' {
        if (-not $root) { Set-ItResult -Skipped -Because 'mounting a tmpfs needs root'; return }
        $case = New-TestDirectory
        try {
            mount -t tmpfs -o size=1m foamps-full $case
            $LASTEXITCODE | Should -Be 0 -Because 'mounting a tmpfs must work here'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $err = Get-Failure { Invoke-FoamCommand -Path $case -Command 'yes FoamPS | head -c 4000000; sleep 30' -Image $image -LogPath (Join-Path $case 'log.yes') -ErrorAction Stop }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 25 -Because 'the run stops when its log cannot be written, not when the command ends'
            $err.FullyQualifiedErrorId | Should -Be 'LogNotWritable,FoamPS.Commands.InvokeFoamCommandCommand'
            $err.CategoryInfo.Category | Should -Be 'WriteError'
            $written = (Get-Item (Join-Path $case 'log.yes')).Length
            $written | Should -BeGreaterThan 0
            $written | Should -BeLessOrEqual 1MB
            $err.Exception.Message | Should -BeLike '*after * bytes*the log holds what was written before*'
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { umount $case 2>$null; Remove-TestDirectory $case }
    }
}
