#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Remote engines: a second, real Docker engine on tcp://127.0.0.1:<port> that only speaks TLS
# (certificates made with openssl by tests/fixtures/start-tls-engine.sh), engine selection by
# parameter, environment and docker context, TLS errors, and -CaseTransfer Copy.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:image = Get-TestImage
    $script:tls = Start-TestTlsEngine -Image $image
    $script:whyNot = 'the TLS engine is a second dockerd, which only root can start (CI runs as root)'
    $script:remote = if ($tls) { @{ DockerHost = $tls.Host; TlsCertPath = $tls.CertPath } } else { @{} }
    function script:Get-TlsContainer { @(Invoke-TlsDocker $tls ps -aq --filter label=foamps.owner) | Where-Object { $_ } }
    function script:Get-Relative([string] $Root) {
        Get-ChildItem -LiteralPath $Root -Recurse -Force | ForEach-Object { $_.FullName.Substring($Root.Length) } | Sort-Object
    }
}

AfterAll {
    Stop-TestTlsEngine $tls
}

Describe 'The cavity through a TLS engine with -CaseTransfer Copy' -Tag Engine, Remote {
    BeforeAll {
        if (-not $tls) { return }
        $script:copied = New-CavityCase
        $script:bound = New-CavityCase
        $script:copyRuns = @(
            Invoke-FoamCommand -Path $copied -Command blockMesh -Image $image -CaseTransfer Copy @remote
            Invoke-FoamCommand -Path $copied -Command icoFoam -Image $image -CaseTransfer Copy @remote
        )
        $script:bindRuns = @(
            Invoke-FoamCommand -Path $bound -Command blockMesh -Image $image
            Invoke-FoamCommand -Path $bound -Command icoFoam -Image $image
        )
    }
    AfterAll { Remove-TestDirectory $copied; Remove-TestDirectory $bound }

    It 'both steps succeed on the TLS engine, copied' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $copyRuns.Succeeded | Should -Be @($true, $true)
        $copyRuns.CaseTransfer | Should -Be @('Copy', 'Copy')
        $copyRuns.DockerHost | Should -Be @($tls.Host, $tls.Host)
        $copyRuns[1].CopiedBack | Should -BeGreaterThan 20
        $bindRuns.CaseTransfer | Should -Be @('Bind', 'Bind')
    }

    It 'leaves the same files as a bind-mount run, with the same results' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        Get-Relative $copied | Should -Be (Get-Relative $bound)
        (Get-FileHash (Join-Path $copied '0.5/U')).Hash | Should -Be (Get-FileHash (Join-Path $bound '0.5/U')).Hash
        (Get-FileHash (Join-Path $copied 'constant/polyMesh/points')).Hash | Should -Be (Get-FileHash (Join-Path $bound 'constant/polyMesh/points')).Hash
    }

    It 'writes the logs here, complete' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $log = Get-Content (Join-Path $copied 'log.icoFoam')
        $log | Should -Contain 'Time = 0.5'
        @($log | Where-Object { $_ })[-1] | Should -Be 'End'
        (Get-Item (Join-Path $copied 'log.icoFoam')).Length | Should -Be $copyRuns[1].OutputBytes
        Get-Content (Join-Path $copied 'log.blockMesh') | Should -Contain 'End'
    }

    It 'leaves every file owned by the calling user' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $owners = bash -c "find '$copied' -printf '%U:%G\n' | sort -u"
        $owners | Should -Be (Get-HostUser)
    }

    It 'keeps file modes both ways' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $script = Join-Path $copied 'Allmine'
        Set-Content $script "#!/bin/sh`necho ran > ran.txt"
        chmod 0750 $script
        $out = Invoke-FoamCommand -Path $copied -Command ./Allmine -Image $image -CaseTransfer Copy @remote -Verbose 4>&1
        $r = $out | Where-Object { $_ -is [FoamPS.FoamRunResult] }
        $r.Succeeded | Should -BeTrue
        # Over tcp the case travels gzipped.
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^Packed .*gzipped' }).Count | Should -Be 1
        Get-Content (Join-Path $copied 'ran.txt') | Should -Be 'ran'
        bash -c "stat -c %a '$script'" | Should -Be '750'
    }

    It 'what the command deletes in the container is deleted here too' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        # 0.1 itself, everything under it, and log.blockMesh.
        $expected = @(Get-ChildItem -LiteralPath (Join-Path $copied '0.1') -Recurse -Force).Count + 2
        $r = Invoke-FoamCommand -Path $copied -Command bash -ArgumentList '-c', 'rm -rf 0.1 && rm log.blockMesh' -Image $image -CaseTransfer Copy @remote -LogPath (Join-Path $copied 'log.rm')
        $r.Succeeded | Should -BeTrue
        Join-Path $copied '0.1' | Should -Not -Exist
        Join-Path $copied 'log.blockMesh' | Should -Not -Exist
        Join-Path $copied '0.2/U' | Should -Exist
        $r.DeletedHere | Should -Be $expected
    }

    It 'leaves no container on the engine' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        Get-TlsContainer | Should -BeNullOrEmpty
    }
}

Describe 'Copy-back refuses what would land outside the case' -Tag Engine, Remote {
    BeforeAll {
        if (-not $tls) { return }
        $script:case = New-CavityCase
        $script:parent = Split-Path $case
        $script:before = Get-ChildItem -LiteralPath $parent -Force | ForEach-Object Name
        $script:r = Invoke-FoamCommand -Path $case -Command bash -ArgumentList '-c', 'ln -s /etc etc-link && touch "..\\..\\escaped" && echo kept > kept.txt' `
            -Image $image -CaseTransfer Copy @remote -WarningVariable script:warnings 3>$null
    }
    AfterAll { Remove-TestDirectory $case }

    It 'reports both refused entries and what it did with the rest' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $r.Succeeded | Should -BeTrue
        $r.Refused.Count | Should -Be 2
        ($r.Refused -match 'etc-link') | Should -HaveCount 1
        ($r.Refused -match 'escaped') | Should -HaveCount 1
        @($warnings | Where-Object { "$_" -match 'refused' }).Count | Should -Be 2
        Get-Content (Join-Path $case 'kept.txt') | Should -Be 'kept'
    }

    It 'writes neither of them, nor anything outside the case' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        Join-Path $case 'etc-link' | Should -Not -Exist
        @(Get-ChildItem -LiteralPath $case -Force | Where-Object Name -Match 'escaped') | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath $parent -Force | ForEach-Object Name | Should -Be $before
        Join-Path ([IO.Path]::GetTempPath()) 'escaped' | Should -Not -Exist
    }
}

Describe 'A failing command in Copy mode' -Tag Engine, Remote {
    BeforeAll {
        if (-not $tls) { return }
        $script:case = New-CavityCase
        # No mesh yet: icoFoam fails with a FOAM FATAL ERROR after writing its banner.
        $script:err = $null
        try { Invoke-FoamCommand -Path $case -Command icoFoam -Image $image -CaseTransfer Copy @remote -ErrorAction Stop | Out-Null }
        catch { $script:err = $_ }
        $script:err2 = $null
        try { Invoke-FoamCommand -Path $case -Command bash -ArgumentList '-c', 'mkdir -p partial && echo half > partial/out.txt && exit 3' -Image $image -CaseTransfer Copy @remote -LogPath (Join-Path $case 'log.partial') -ErrorAction Stop | Out-Null }
        catch { $script:err2 = $_ }
    }
    AfterAll { Remove-TestDirectory $case }

    It 'still brings back its log, with the error' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $err.FullyQualifiedErrorId | Should -BeLike 'CommandFailed,*'
        Join-Path $case 'log.icoFoam' | Should -Exist
        Get-Content -Raw (Join-Path $case 'log.icoFoam') | Should -Match 'FOAM FATAL'
    }

    It 'brings back what it wrote before failing' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $err2.FullyQualifiedErrorId | Should -BeLike 'CommandFailed,*'
        Get-Content (Join-Path $case 'partial/out.txt') | Should -Be 'half'
        Get-TlsContainer | Should -BeNullOrEmpty
    }
}

Describe 'A Copy run that is stopped' -Tag Engine, Remote {
    It 'brings back what the command wrote before the stop, and leaves no container' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $case = New-TestDirectory
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript({
                param($manifest, $case, $image, $remote)
                Import-Module $manifest
                Invoke-FoamCommand -Path $case -Command 'mkdir -p out && echo before-stop > out/a.txt && echo started && sleep 120' -Image $image -CaseTransfer Copy @remote
            }).AddParameters(@{ manifest = (Join-Path (Get-TestModulePath) 'FoamPS.psd1'); case = $case; image = $image; remote = $remote })
            $async = $ps.BeginInvoke()
            $log = Join-Path $case 'log.mkdir'
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Test-Path $log) -and (Get-Content $log -Raw) -match 'started') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-Content $log | Should -Be 'started'
            Join-Path $case 'out/a.txt' | Should -Not -Exist   # still only in the container
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
            $async.IsCompleted | Should -BeTrue
            Get-Content (Join-Path $case 'out/a.txt') | Should -Be 'before-stop'
            Get-TlsContainer | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose(); Remove-TestDirectory $case }
    }
}

Describe 'Choosing the TLS engine' -Tag Engine, Remote {
    BeforeEach {
        $script:saved = @{}
        foreach ($n in 'DOCKER_HOST', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'DOCKER_CONFIG', 'DOCKER_CONTEXT') { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }
    }
    AfterEach {
        foreach ($n in $saved.Keys) { [Environment]::SetEnvironmentVariable($n, $saved[$n]) }
    }

    It 'DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY work without parameters' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $env:DOCKER_HOST = $tls.Host; $env:DOCKER_CERT_PATH = $tls.CertPath; $env:DOCKER_TLS_VERIFY = '1'
        $e = Get-FoamEngine
        $e.Endpoint | Should -Be $tls.Host
        $e.Source | Should -Be 'DOCKER_HOST'
        $e.Tls | Should -BeTrue
        $e.TlsVerify | Should -BeTrue
        # The engine's data root is the second engine's own.
        (Invoke-TlsDocker $tls info --format '{{.DockerRootDir}}') | Should -BeLike "$($tls.Directory)*"
        $case = New-CavityCase
        try {
            $r = Invoke-FoamCommand -Path $case -Command blockMesh -Image $image
            $r.Succeeded | Should -BeTrue
            $r.DockerHost | Should -Be $tls.Host
        }
        finally { Remove-TestDirectory $case }
    }

    It 'a docker context in DOCKER_CONFIG works with -Context, and as the current context' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $config = New-TestDirectory 'docker-config'
        try {
            # The docker CLI's own layout, written by the docker CLI.
            $env:DOCKER_CONFIG = $config
            docker context create foamps-remote --docker "host=$($tls.Host),ca=$($tls.CertPath)/ca.pem,cert=$($tls.CertPath)/cert.pem,key=$($tls.CertPath)/key.pem" | Out-Null
            $LASTEXITCODE | Should -Be 0
            $e = Get-FoamEngine -Context foamps-remote
            $e.Endpoint | Should -Be $tls.Host
            $e.Context | Should -Be 'foamps-remote'
            $e.TlsVerify | Should -BeTrue
            docker context use foamps-remote | Out-Null
            (Get-FoamEngine).Context | Should -Be 'foamps-remote'
            $completion = [System.Management.Automation.CommandCompletion]::CompleteInput('Get-FoamEngine -Context foamps-r', 32, $null)
            $completion.CompletionMatches.CompletionText | Should -Contain 'foamps-remote'
        }
        finally { Remove-TestDirectory $config }
    }

    It 'an unknown context is ContextNotFound' {
        $config = New-TestDirectory 'docker-config'
        try {
            $env:DOCKER_CONFIG = $config
            $err = $null
            try { Get-FoamEngine -Context nosuch } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'ContextNotFound,FoamPS.Commands.GetFoamEngineCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
        finally { Remove-TestDirectory $config }
    }
}

Describe 'TLS errors are clear and quick' -Tag Engine, Remote {
    BeforeAll {
        if (-not $tls) { return }
        # Another CA, which did not sign the engine's certificate.
        $script:wrongCa = New-TestDirectory 'wrong-ca'
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=not the engine CA' -keyout "$wrongCa/ca-key.pem" -out "$wrongCa/ca.pem" 2>$null
        Copy-Item "$($tls.CertPath)/cert.pem", "$($tls.CertPath)/key.pem" $wrongCa
        $script:noCert = New-TestDirectory 'no-cert'
        Copy-Item "$($tls.CertPath)/ca.pem" $noCert
        function script:Get-Failure([scriptblock] $Run) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            try { & $Run | Out-Null; $null } catch { [pscustomobject]@{ Error = $_; Seconds = $clock.Elapsed.TotalSeconds } }
        }
    }
    AfterAll { Remove-TestDirectory $wrongCa; Remove-TestDirectory $noCert }

    It 'a wrong CA is TlsHandshakeFailed naming the endpoint, without hanging' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $f = Get-Failure { Get-FoamImage -DockerHost $tls.Host -TlsCertPath $wrongCa }
        $f.Error.FullyQualifiedErrorId | Should -Be 'TlsHandshakeFailed,FoamPS.Commands.GetFoamImageCommand'
        $f.Error.CategoryInfo.Category | Should -Be 'SecurityError'
        $f.Error.Exception.Message | Should -BeLike "*$($tls.Host)*"
        $f.Seconds | Should -BeLessThan 10
    }

    It 'a TLS directory without a client certificate is TlsCertificateNotFound' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $f = Get-Failure { Get-FoamImage -DockerHost $tls.Host -TlsCertPath $noCert }
        $f.Error.FullyQualifiedErrorId | Should -Be 'TlsCertificateNotFound,FoamPS.Commands.GetFoamImageCommand'
        $f.Error.Exception.Message | Should -BeLike '*cert.pem*'
    }

    It 'the engine refuses a client without a certificate, clearly' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        # Verified server, but the client certificate is not the engine CA's: the engine ends the handshake.
        $stranger = New-TestDirectory 'stranger'
        try {
            Copy-Item "$($tls.CertPath)/ca.pem" $stranger
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=stranger' -keyout "$stranger/key.pem" -out "$stranger/cert.pem" 2>$null
            $f = Get-Failure { Get-FoamEngine -DockerHost $tls.Host -TlsCertPath $stranger }
            $f.Error.FullyQualifiedErrorId | Should -BeIn @('TlsHandshakeFailed,FoamPS.Commands.GetFoamEngineCommand', 'EngineUnreachable,FoamPS.Commands.GetFoamEngineCommand')
            $f.Error.Exception.Message | Should -BeLike "*$($tls.Host)*"
            $f.Seconds | Should -BeLessThan 10
        }
        finally { Remove-TestDirectory $stranger }
    }

    It 'an engine certificate for another name is refused (TlsHandshakeFailed), as the docker CLI does' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        # The engine's certificate names 127.0.0.1 only; "localhost" is the same engine under another name.
        $f = Get-Failure { Get-FoamEngine -DockerHost "tcp://localhost:$($tls.Port)" -TlsCertPath $tls.CertPath }
        $f.Error.FullyQualifiedErrorId | Should -Be 'TlsHandshakeFailed,FoamPS.Commands.GetFoamEngineCommand'
        $f.Error.Exception.Message | Should -BeLike "*localhost:$($tls.Port)*"
    }

    It 'a server that never answers the TLS handshake is unreachable within the timeout, not a hang' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        # The kernel accepts the connection; nothing ever speaks on it.
        $silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        try {
            $port = $silent.LocalEndpoint.Port
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $t = Test-FoamEngine -DockerHost "tcp://127.0.0.1:$port" -TlsCertPath $tls.CertPath
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 8
            $t.Reachable | Should -BeFalse
            $t.ErrorId | Should -Be 'EngineUnreachable'
        }
        finally { $silent.Stop() }
    }

    It 'plain tcp against the TLS port is TlsRequired' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $f = Get-Failure { Get-FoamContainer -DockerHost $tls.Host }
        $f.Error.FullyQualifiedErrorId | Should -Be 'TlsRequired,FoamPS.Commands.GetFoamContainerCommand'
        $f.Error.Exception.Message | Should -BeLike '*-TlsCertPath*'
    }

    It '-TlsSkipVerify connects despite the wrong CA, and warns' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $e = Get-FoamEngine -DockerHost $tls.Host -TlsCertPath $wrongCa -TlsSkipVerify -WarningVariable w 3>$null
        $e.Reachable | Should -BeTrue
        $e.TlsVerify | Should -BeFalse
        "$w" | Should -BeLike '*does not verify*'
    }

    It 'Test-FoamEngine reports TLS failures as unreachable, with the reason' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $t = Test-FoamEngine -DockerHost $tls.Host -TlsCertPath $wrongCa
        $t.Reachable | Should -BeFalse
        $t.ErrorId | Should -Be 'TlsHandshakeFailed'
        $t.Reason | Should -BeLike "*$($tls.Host)*"
    }

    It 'a run against the wrong CA fails before anything starts: TlsHandshakeFailed, case unchanged, no container' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $case = New-CavityCase
        try {
            $before = Get-TreeFingerprint $case
            $f = Get-Failure { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -CaseTransfer Copy -DockerHost $tls.Host -TlsCertPath $wrongCa }
            $f.Error.FullyQualifiedErrorId | Should -Be 'TlsHandshakeFailed,FoamPS.Commands.InvokeFoamCommandCommand'
            $f.Error.CategoryInfo.Category | Should -Be 'SecurityError'
            Get-TreeFingerprint $case | Should -Be $before
            Get-TlsContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }

    It '-DockerHost with -Context is ParameterConflict, case unchanged' {
        $case = New-CavityCase
        try {
            $before = Get-TreeFingerprint $case
            $f = Get-Failure { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -DockerHost 'tcp://127.0.0.1:1' -Context foamps-remote }
            $f.Error.FullyQualifiedErrorId | Should -Be 'ParameterConflict,FoamPS.Commands.InvokeFoamCommandCommand'
            $f.Error.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Get-TreeFingerprint $case | Should -Be $before
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }

    It '-Detach with Copy is refused before anything starts' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $case = New-CavityCase
        try {
            $f = Get-Failure { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -CaseTransfer Copy -Detach @remote }
            $f.Error.FullyQualifiedErrorId | Should -Be 'ParameterConflict,FoamPS.Commands.InvokeFoamCommandCommand'
            Get-TlsContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'The netstandard2.0 build (Windows PowerShell 5.1) with TLS and Copy' -Tag Engine, Remote {
    It 'loads its TLS dependencies, verifies the engine and copies a case in and out' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $case = New-CavityCase
        try {
            $manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
            $out = Invoke-ChildPwsh ("`$env:FOAMPS_FRAMEWORK = 'netstandard2.0'; Import-Module '$manifest'; [FoamPS.FoamEngine].Assembly.Location; " +
                "(Get-FoamEngine -DockerHost '$($tls.Host)' -TlsCertPath '$($tls.CertPath)').TlsVerify; " +
                "`$r = Invoke-FoamCommand -Path '$case' -Command blockMesh -Image '$image' -DockerHost '$($tls.Host)' -TlsCertPath '$($tls.CertPath)' -CaseTransfer Copy; `$r.Succeeded; `$r.CaseTransfer")
            $out[0] | Should -BeLike '*netstandard2.0*FoamPS.dll'
            $out[1..3] | Should -Be @('True', 'True', 'Copy')
            Join-Path $case 'constant/polyMesh/points' | Should -Exist
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'Test-FoamEngine and Get-FoamEngine' -Tag Engine {
    It 'a closed port is Reachable $false within 5 s, with the reason' {
        $port = Get-FreePort
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $t = Test-FoamEngine -DockerHost "tcp://127.0.0.1:$port"
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $t.Reachable | Should -BeFalse
        $t.ErrorId | Should -Be 'EngineUnreachable'
        $t.Reason | Should -BeLike "*127.0.0.1:$port*"
        Test-FoamEngine -DockerHost "tcp://127.0.0.1:$port" -Quiet | Should -BeFalse
    }

    It 'Get-FoamEngine on a closed port is a ConnectionError' {
        $port = Get-FreePort
        $err = $null
        try { Get-FoamEngine -DockerHost "tcp://127.0.0.1:$port" } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'EngineUnreachable,FoamPS.Commands.GetFoamEngineCommand'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'describes the local engine as the docker CLI sees it' {
        $e = Get-FoamEngine
        $e.Reachable | Should -BeTrue
        $e.IsLocal | Should -BeTrue
        $e.EngineVersion | Should -Be (docker version --format '{{.Server.Version}}')
        $e.ApiVersion | Should -Be (docker version --format '{{.Server.APIVersion}}')
        $e.Cpus | Should -Be ([int](docker info --format '{{.NCPU}}'))
        $e.MemoryBytes | Should -Be ([long](docker info --format '{{.MemTotal}}'))
        $e.CgroupVersion | Should -Be (docker info --format '{{.CgroupVersion}}')
        Test-FoamEngine -Quiet | Should -BeTrue
    }

    It 'the TLS engine is described, verified and local (loopback)' {
        if (-not $tls) { Set-ItResult -Skipped -Because $whyNot; return }
        $e = Test-FoamEngine @remote
        $e.Reachable | Should -BeTrue
        $e.Tls | Should -BeTrue
        $e.TlsVerify | Should -BeTrue
        $e.IsLocal | Should -BeTrue
        $e.EngineVersion | Should -Be (Invoke-TlsDocker $tls version --format '{{.Server.Version}}')
    }
}
