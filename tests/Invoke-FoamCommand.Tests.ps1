#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Invoke-FoamCommand against a real Docker engine and real OpenFOAM (the test images).

BeforeDiscovery {
    $layouts = @(
        @{ Layout = 'Debian'; BashRc = '/usr/share/openfoam/etc/bashrc' }
        @{ Layout = 'OpenCfd'; BashRc = '/usr/lib/openfoam/openfoam1912/etc/bashrc' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:Fqid = { param($id) "$id,FoamPS.Commands.InvokeFoamCommandCommand" }
}

Describe 'Invoke-FoamCommand runs the cavity tutorial (<Layout> layout)' -Tag Engine -ForEach $layouts {
    BeforeAll {
        $script:image = Get-TestImage $Layout
        $script:case = New-CavityCase -Image $image
        $script:before = @(Get-ChildItem -LiteralPath $case -Recurse -Force | ForEach-Object FullName)
        $script:mesh = Invoke-FoamCommand -Path $case -Command blockMesh -Image $image
        $script:solve = Invoke-FoamCommand -Path $case -Command icoFoam -Image $image
    }
    AfterAll { Remove-TestDirectory $case }

    It 'blockMesh and icoFoam exit 0 and say so' {
        $mesh.ExitCode | Should -Be 0
        $mesh.Succeeded | Should -BeTrue
        $solve.ExitCode | Should -Be 0
        $solve.Succeeded | Should -BeTrue
        $solve | Should -BeOfType ([FoamPS.FoamRunResult])
    }

    It 'writes the time directories 0.1 to 0.5' {
        $times = Get-ChildItem -LiteralPath $case -Directory | Where-Object Name -Match '^\d' | ForEach-Object Name | Sort-Object { [double]$_ }
        $times | Should -Be @('0', '0.1', '0.2', '0.3', '0.4', '0.5')
        Join-Path $case '0.5/U' | Should -Exist
        Join-Path $case 'constant/polyMesh/points' | Should -Exist
    }

    It 'logs each command to log.<application>, ending with End' {
        $mesh.LogPath | Should -Be (Join-Path $case 'log.blockMesh')
        $solve.LogPath | Should -Be (Join-Path $case 'log.icoFoam')
        (Get-Content -LiteralPath $mesh.LogPath | Where-Object { $_.Trim() } | Select-Object -Last 1).Trim() | Should -Be 'End'
        (Get-Content -LiteralPath $solve.LogPath | Where-Object { $_.Trim() } | Select-Object -Last 1).Trim() | Should -Be 'End'
        Get-Content -LiteralPath $solve.LogPath | Where-Object { $_ -match '^Time = ' } | Should -HaveCount 100
        $solve.OutputBytes | Should -Be (Get-Item -LiteralPath $solve.LogPath).Length
    }

    It 'sources the <Layout> environment and runs as the calling uid:gid' {
        $solve.BashRc | Should -Be $BashRc
        $solve.User | Should -Be (Get-HostUser)
        $solve.Image | Should -Be $image
        $solve.Application | Should -Be 'icoFoam'
        $solve.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $solve.EndTime | Should -BeGreaterThan $solve.StartTime
    }

    It 'leaves every file it created owned by the calling uid' {
        $uid = [int](id -u)
        $created = Get-ChildItem -LiteralPath $case -Recurse -Force | Where-Object FullName -NotIn $before
        $created.Count | Should -BeGreaterThan 20
        $owners = $created | ForEach-Object { [int](stat -c '%u' $_.FullName) } | Sort-Object -Unique
        $owners | Should -Be @($uid)
    }

    It 'removes its containers' {
        $mesh.ContainerId | Should -Match '^[0-9a-f]{64}$'
        docker ps -aq --no-trunc --filter "id=$($mesh.ContainerId)" | Should -BeNullOrEmpty
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-FoamCommand run by a user who is not root' -Tag Engine {
    BeforeAll {
        # Tests run as root here, where "the calling uid" proves little. So PowerShell, a copy of
        # the module and a case go where uid 4242 can read them, and that user runs the cavity.
        $script:skip = $null
        if ((id -u) -ne '0') { $script:skip = 'needs root to switch to another uid (setpriv)' }
        elseif (-not (Get-Command setpriv -ErrorAction SilentlyContinue)) { $script:skip = 'setpriv (util-linux) is not installed' }
        $script:dockerGid = (getent group docker) -split ':' | Select-Object -Index 2
        if (-not $skip -and -not $dockerGid) { $script:skip = 'no docker group: the engine socket is root-only' }
        if (-not $skip) {
            $script:area = Split-Path (New-TestDirectory 'pwsh')
            Copy-Item (Join-Path $PSHOME '*') (Join-Path $area 'pwsh') -Recurse
            Copy-Item (Get-TestModulePath) (Join-Path $area 'FoamPS') -Recurse
            $script:case = New-CavityCase
            chown -R 4242:4242 (Split-Path $case)
            chmod -R o+rX $area
            $script:before = @(Get-ChildItem -LiteralPath $case -Recurse -Force | ForEach-Object FullName)
            $dotnet = (Get-Process -Id $PID).Path
            $script = "Import-Module '$area/FoamPS/FoamPS.psd1'; foreach (`$c in 'blockMesh', 'icoFoam') { `$r = Invoke-FoamCommand -Path '$case' -Command `$c -Image '$(Get-TestImage)'; `"`$(`$r.Application) `$(`$r.ExitCode) `$(`$r.User)`" }"
            $script:output = setpriv --reuid=4242 --regid=4242 --groups=$dockerGid env HOME=$area DOTNET_CLI_HOME=$area `
                $dotnet (Join-Path $area 'pwsh/pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
        }
    }
    AfterAll { if ($area) { Remove-Item -LiteralPath $area -Recurse -Force -ErrorAction SilentlyContinue }; Remove-TestDirectory $case }

    It 'runs as that user''s uid:gid by default, and every file the run created is theirs' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $output | Should -Be @('blockMesh 0 4242:4242', 'icoFoam 0 4242:4242')
        $created = Get-ChildItem -LiteralPath $case -Recurse -Force | Where-Object FullName -NotIn $before
        $created.Name | Should -Contain 'log.icoFoam'
        Join-Path $case '0.5/U' | Should -Exist
        $owners = $created | ForEach-Object { stat -c '%u:%g' $_.FullName } | Sort-Object -Unique
        $owners | Should -Be @('4242:4242')
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-FoamCommand run by root' -Tag Engine {
    BeforeAll {
        $script:skip = if ((id -u) -ne '0') { 'needs root: only root can hand a case to another user' }
        $script:image = Get-TestImage
    }

    It 'runs as the owner of a case that is not root''s, so root never makes root-owned files in a user''s case' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $case = New-TestDirectory
        try {
            chown 4321:4322 $case
            $r = Invoke-FoamCommand -Path $case -Command 'id -u; id -g; touch made' -Image $image
            $r.Succeeded | Should -BeTrue
            $r.User | Should -Be '4321:4322'
            Get-Content -LiteralPath $r.LogPath | Should -Be @('4321', '4322')
            stat -c '%u:%g' (Join-Path $case 'made') | Should -Be '4321:4322'
            stat -c '%u:%g' $r.LogPath | Should -Be '4321:4322' -Because 'the log has the owner of the run''s files'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'with -CaseTransfer Copy, what comes back (files, folders, links) belongs to the case''s owner too' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $case = New-TestDirectory
        try {
            Set-Content -LiteralPath (Join-Path $case 'input') -Value 'in'
            chown -R 4321:4322 $case
            $r = Invoke-FoamCommand -Path $case -Command 'mkdir -p out/deep && cat input > out/deep/f && ln -s deep/f out/link' -Image $image -CaseTransfer Copy
            $r.Succeeded | Should -BeTrue
            $r.CaseTransfer | Should -Be 'Copy'
            foreach ($made in 'out', 'out/deep', 'out/deep/f', 'log.mkdir') {
                stat -c '%u:%g' (Join-Path $case $made) | Should -Be '4321:4322' -Because "$made came back from the run"
            }
            stat -c '%u:%g' (Join-Path $case 'out/link') | Should -Be '4321:4322' -Because 'the link itself (lchown), not only its target'
            Get-Content -LiteralPath (Join-Path $case 'out/link') | Should -Be 'in'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'runs as root on root''s own case (a non-root user could not write there), and -User still wins' {
        if ($skip) { Set-ItResult -Skipped -Because $skip; return }
        $case = New-TestDirectory
        try {
            (Invoke-FoamCommand -Path $case -Command 'id -u' -Image $image).User | Should -Be '0:0'
            Get-Content -LiteralPath (Join-Path $case 'log.id') | Should -Be '0'
            chown 4321:4322 $case
            (Invoke-FoamCommand -Path $case -Command 'id -u' -Image $image -User '0:0').User | Should -Be '0:0'
            Get-Content -LiteralPath (Join-Path $case 'log.id') | Should -Be '0'
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'Invoke-FoamCommand with -User' -Tag Engine {
    It 'creates files owned by the given uid:gid' {
        $case = New-CavityCase
        try {
            # The run's user must be able to write the case, as on a real machine.
            chown -R 4242:4343 $case
            $r = Invoke-FoamCommand -Path $case -Command blockMesh -Image (Get-TestImage) -User '4242:4343'
            $r.Succeeded | Should -BeTrue
            $r.User | Should -Be '4242:4343'
            # The log is written by FoamPS on the host: it belongs to the calling user, except that root gives
            # it to the run's user, like every other file the run made in the case.
            $logOwner = if ((id -u) -eq '0') { '4242:4343' } else { Get-HostUser }
            stat -c '%u:%g' (Join-Path $case 'log.blockMesh') | Should -Be $logOwner
            stat -c '%u:%g' (Join-Path $case 'constant/polyMesh/points') | Should -Be '4242:4343'
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'Invoke-FoamCommand reports a failing command' -Tag Engine {
    BeforeAll {
        $script:case = New-CavityCase
        $script:result = Invoke-FoamCommand -Path $case -Command icoFoam -Image (Get-TestImage) -ErrorVariable runErrors -ErrorAction SilentlyContinue
    }
    AfterAll { Remove-TestDirectory $case }

    It 'still emits the result, with Succeeded = $false' {
        $result | Should -Not -BeNullOrEmpty
        $result.Succeeded | Should -BeFalse
        $result.ExitCode | Should -Not -Be 0
    }

    It 'writes a CommandFailed error holding the FOAM FATAL ERROR text' {
        $runErrors | Should -HaveCount 1
        $runErrors[0].FullyQualifiedErrorId | Should -Be (& $Fqid CommandFailed)
        $runErrors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $runErrors[0].Exception.Message | Should -Match 'FOAM FATAL'
        $runErrors[0].Exception.Message | Should -Match 'polyMesh'
        $runErrors[0].Exception.FatalError | Should -Match '^--> FOAM FATAL'
        $runErrors[0].Exception.ExitCode | Should -Be $result.ExitCode
        $runErrors[0].Exception.LogPath | Should -Be (Join-Path $case 'log.icoFoam')
    }

    It 'is catchable as FoamPS.FoamCommandFailedException with -ErrorAction Stop' {
        $caught = $null
        try { Invoke-FoamCommand -Path $case -Command icoFoam -Image (Get-TestImage) -ErrorAction Stop | Out-Null }
        catch [FoamPS.FoamCommandFailedException] { $caught = $_.Exception }
        $caught | Should -Not -BeNullOrEmpty
        $caught.ExitCode | Should -BeGreaterThan 0
        $caught.LastLines.Count | Should -BeGreaterThan 0
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-FoamCommand rejects bad input' -Tag Engine {
    BeforeAll {
        $script:case = New-CavityCase
        $script:fingerprint = Get-TreeFingerprint $case
        $script:image = Get-TestImage
        # An image with bash but no OpenFOAM environment anywhere FoamPS looks.
        $script:plainImage = 'foamps-test/no-openfoam:latest'
        docker image inspect $plainImage *> $null
        if ($LASTEXITCODE -ne 0) {
            "FROM $image`nRUN rm -rf /usr/share/openfoam/etc/bashrc" | docker build -q -t $plainImage - 2>$null | Out-Null
        }
        # A TCP endpoint that accepts connections and never answers.
        $script:silent = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $silent.Start()
        $script:silentPort = $silent.LocalEndpoint.Port

        function script:Assert-Rejected([scriptblock] $Run, [string] $ErrorId, [string] $Category, [string] $CasePath = $case) {
            $err = $Run | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be (& $Fqid $ErrorId)
            $err.CategoryInfo.Category | Should -Be $Category
            $err.Exception | Should -BeOfType ([FoamPS.FoamException])
            $err.Exception.ErrorId | Should -Be $ErrorId
            Get-FoamTestContainer | Should -BeNullOrEmpty
            Get-TreeFingerprint $CasePath | Should -Be $fingerprint
            $err
        }
    }
    AfterAll {
        $silent.Stop()
        Remove-TestDirectory $case
    }

    It 'a case directory that does not exist: CaseNotFound' {
        $missing = Join-Path $case 'no-such-case'
        $err = Assert-Rejected { Invoke-FoamCommand -Path $missing -Command blockMesh -Image $image -ErrorAction Stop } CaseNotFound ObjectNotFound
        $err.TargetObject | Should -Be $missing
        $missing | Should -Not -Exist
    }

    It 'a missing case among several is a non-terminating error: the others still run' {
        $other = New-CavityCase -Name 'other'
        try {
            $results = @((Join-Path $case 'absent'), $other) | Invoke-FoamCommand -Command blockMesh -Image $image -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs | Should -HaveCount 1
            $errs[0].FullyQualifiedErrorId | Should -Be (& $Fqid CaseNotFound)
            $results | Should -HaveCount 1
            $results[0].Case | Should -Be $other
            $results[0].Succeeded | Should -BeTrue
            Get-TreeFingerprint $case | Should -Be $fingerprint
        }
        finally { Remove-TestDirectory $other }
    }

    It 'a file instead of a directory: CaseNotDirectory' {
        $file = Join-Path $case 'system/controlDict'
        $before = Get-TreeFingerprint $file
        Assert-Rejected { Invoke-FoamCommand -Path $file -Command blockMesh -Image $image -ErrorAction Stop } CaseNotDirectory InvalidArgument | Out-Null
        Get-TreeFingerprint $file | Should -Be $before
    }

    It 'an empty command: CommandEmpty' {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command '' -Image $image } CommandEmpty InvalidArgument | Out-Null
    }

    It 'a blank command: CommandEmpty' {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command "  `t " -Image $image } CommandEmpty InvalidArgument | Out-Null
    }

    It 'a malformed image reference: InvalidImageReference' {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image 'Not A/Valid::ref' } InvalidImageReference InvalidArgument | Out-Null
    }

    It 'an image the engine does not have, with -Pull Never: ImageNotFound, telling to run Update-FoamImage' {
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image 'foamps-test/absent:nope' -Pull Never } ImageNotFound ObjectNotFound
        $err.Exception | Should -BeOfType ([FoamPS.FoamImageNotFoundException])
        $err.Exception.Message | Should -Match 'Update-FoamImage'
        $err.TargetObject | Should -Be 'foamps-test/absent:nope'
    }

    It 'an image name with capitals (not a registry host): InvalidImageReference before anything is asked of the engine' {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image ($image.Substring(0, 1).ToUpper() + $image.Substring(1)) } InvalidImageReference InvalidArgument | Out-Null
    }

    It 'a mistyped image: ImageNotFound naming the local image it may have meant' {
        $typo = $image -replace 'openfoam', 'openfaom'
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $typo -Pull Never } ImageNotFound ObjectNotFound
        $err.Exception.Message | Should -BeLike "*Did you mean '$image'?"
    }

    It 'an absent image whose pull fails: says first that the image is not on the engine, keeps the pull''s ErrorId' {
        $port = Get-FreePort
        $absent = "127.0.0.1:$port/foamps-test/openfoam:debian"
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $absent } RegistryUnreachable ConnectionError
        $err.Exception.Message | Should -BeLike "Image '$absent' is not on the Docker engine at *, and pulling it failed: *"
        $err.Exception.InnerException | Should -BeOfType ([FoamPS.FoamException])
        $err.TargetObject | Should -Be $absent
    }

    It 'the absent image is catchable by type' {
        $caught = $null
        try { Invoke-FoamCommand -Path $case -Command blockMesh -Image 'foamps-test/absent:nope' -Pull Never }
        catch [FoamPS.FoamImageNotFoundException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
    }

    It 'a malformed -User: InvalidUser' -ForEach @(@{ User = '1000:' }, @{ User = 'a:b:c' }, @{ User = '-1' }) {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -User $User } InvalidUser InvalidArgument | Out-Null
    }

    It '-BashRc that is not in the image: BashRcNotFound' {
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -BashRc '/opt/nowhere/etc/bashrc' } BashRcNotFound ObjectNotFound
        $err.Exception | Should -BeOfType ([FoamPS.FoamEnvironmentNotFoundException])
        $err.Exception.Message | Should -Match '/opt/nowhere/etc/bashrc'
    }

    It 'an image without an OpenFOAM environment: OpenFoamEnvironmentNotFound' {
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $plainImage } OpenFoamEnvironmentNotFound ObjectNotFound
        $err.Exception.Message | Should -Match '-BashRc'
    }

    It 'an endpoint that refuses connections: EngineUnreachable naming it, at once' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -DockerHost 'tcp://127.0.0.1:1' } EngineUnreachable ConnectionError
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        $err.Exception.Message | Should -Match ([regex]::Escape('tcp://127.0.0.1:1'))
    }

    It 'an endpoint that never answers: EngineUnreachable within a few seconds, not a 100 s hang' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -DockerHost "tcp://127.0.0.1:$silentPort" } EngineUnreachable ConnectionError
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
        $err.Exception.Message | Should -Match "127.0.0.1:$silentPort"
    }

    It 'a socket path with no engine: EngineUnreachable' {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -DockerHost 'unix:///tmp/foamps-no-such.sock' } EngineUnreachable ConnectionError | Out-Null
    }

    It 'a log file that cannot be written: LogNotWritable, and the container is removed' {
        $log = Join-Path $case 'no-such-dir/log.blockMesh'
        $err = Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -LogPath $log -ErrorAction Stop } LogNotWritable WriteError
        $err.TargetObject | Should -Be $log
    }

    It 'an endpoint that is not one: InvalidDockerHost' {
        Assert-Rejected { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -DockerHost 'ftp://bigbox' } InvalidDockerHost InvalidArgument | Out-Null
    }
}

Describe 'Invoke-FoamCommand never writes a log through a link' -Tag Engine {
    # A container runs as the case's user and can leave log.<app> as a link to any file; FoamPS (perhaps root)
    # must replace the link with the log, never write or create the file it points at.
    It 'replaces a link to a file outside the case, which keeps its content' {
        $case = New-TestDirectory
        $outside = Join-Path (Split-Path $case) 'precious.txt'
        try {
            Set-Content -LiteralPath $outside -Value 'precious'
            New-Item -ItemType SymbolicLink -Path (Join-Path $case 'log.echo') -Target $outside | Out-Null
            $r = Invoke-FoamCommand -Path $case -Command 'echo hello' -Image (Get-TestImage)
            $r.Succeeded | Should -BeTrue
            Get-Content -LiteralPath $outside | Should -Be 'precious'
            (Get-Item -LiteralPath (Join-Path $case 'log.echo')).LinkType | Should -BeNullOrEmpty
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'hello'
        }
        finally { Remove-Item -LiteralPath $outside -ErrorAction SilentlyContinue; Remove-TestDirectory $case }
    }

    It 'replaces a dangling link without creating its target' {
        $case = New-TestDirectory
        $target = Join-Path (Split-Path $case) 'created-by-nobody.txt'
        try {
            New-Item -ItemType SymbolicLink -Path (Join-Path $case 'log.echo') -Target $target | Out-Null
            (Invoke-FoamCommand -Path $case -Command 'echo hello' -Image (Get-TestImage)).Succeeded | Should -BeTrue
            $target | Should -Not -Exist
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'hello'
        }
        finally { Remove-Item -LiteralPath $target -ErrorAction SilentlyContinue; Remove-TestDirectory $case }
    }
}

Describe 'Invoke-FoamCommand takes cases and arguments as a user gives them' -Tag Engine {
    BeforeAll { $script:image = Get-TestImage }

    It 'runs each directory piped from Get-ChildItem, one result per case' {
        $a = New-CavityCase -Name 'a'
        $parent = Split-Path $a
        try {
            docker run --rm --user (Get-HostUser) --entrypoint /bin/cp --mount "type=bind,source=$parent,target=/out" $image -r /out/a /out/b
            $results = Get-ChildItem -LiteralPath $parent -Directory | Invoke-FoamCommand -Command blockMesh -Image $image
            $results | Should -HaveCount 2
            ($results.Case | Sort-Object) | Should -Be @((Join-Path $parent 'a'), (Join-Path $parent 'b'))
            $results.Succeeded | Should -Be @($true, $true)
            Join-Path $parent 'b/log.blockMesh' | Should -Exist
        }
        finally { Remove-TestDirectory $a }
    }

    It 'binds objects with a Path property and relative paths' {
        $case = New-CavityCase
        Push-Location (Split-Path $case)
        try {
            $r = [pscustomobject]@{ Path = 'cavity' } | Invoke-FoamCommand -Command 'echo hello' -Image $image
            $r.Case | Should -Be $case
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'hello'
        }
        finally { Pop-Location; Remove-TestDirectory $case }
    }

    It 'works on a case path with spaces, quotes, $(...) and non-ASCII letters' {
        $case = New-CavityCase -Name "my case 'q' `"dq`" `$(touch pwned) ünïcødé"
        try {
            $r = Invoke-FoamCommand -Path $case -Command blockMesh -Image $image
            $r.Succeeded | Should -BeTrue
            $r.Case | Should -Be $case
            Join-Path $case 'constant/polyMesh/points' | Should -Exist
            (Get-Content -LiteralPath $r.LogPath | Where-Object { $_.Trim() } | Select-Object -Last 1).Trim() | Should -Be 'End'
            Get-ChildItem -LiteralPath (Split-Path $case) -Recurse -Filter pwned | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }

    It 'quotes each -ArgumentList element so the shell never re-reads it' {
        $case = New-TestDirectory
        try {
            $arguments = @('a b', '$(id)', "it's", '*', '`uname`', ';exit 3')
            $r = Invoke-FoamCommand -Path $case -Command "printf '%s\n'" -ArgumentList $arguments -Image $image
            $r.Succeeded | Should -BeTrue
            Get-Content -LiteralPath $r.LogPath | Should -Be $arguments
        }
        finally { Remove-TestDirectory $case }
    }

    It 'runs shell command lines and scripts in the case, and passes -Environment' {
        $case = New-TestDirectory
        try {
            Set-Content -LiteralPath (Join-Path $case 'Allrun') -Value "#!/bin/sh`necho `"run in `$(pwd) as `$(id -u) with `$GREETING`"" -NoNewline
            chmod +x (Join-Path $case 'Allrun')
            $r = Invoke-FoamCommand -Path $case -Command './Allrun' -Environment @{ GREETING = 'hi there' } -Image $image
            $r.Application | Should -Be 'Allrun'
            Get-Content -LiteralPath (Join-Path $case 'log.Allrun') | Should -Be "run in /home/openfoam/project as $(id -u) with hi there"
        }
        finally { Remove-TestDirectory $case }
    }

    It 'runs in the case even when the image''s entrypoint changes directory (OpenCFD layout)' {
        $case = New-TestDirectory
        try {
            $r = Invoke-FoamCommand -Path $case -Command 'pwd; echo $HOME; test -w $HOME && echo writable' -Image (Get-TestImage OpenCfd) -User '4242:4242'
            Get-Content -LiteralPath $r.LogPath | Should -Be @('/home/openfoam/project', '/tmp/foamps-home', 'writable')
        }
        finally { Remove-TestDirectory $case }
    }

    It 'honours -LogPath, -NoLog, $env:FOAMPS_IMAGE and $PSDefaultParameterValues' {
        $case = New-TestDirectory
        $log = Join-Path (Split-Path $case) 'elsewhere.log'
        $saved = $env:FOAMPS_IMAGE
        try {
            $env:FOAMPS_IMAGE = $image
            $r = Invoke-FoamCommand -Path $case -Command 'echo to-file' -LogPath $log
            $r.Image | Should -Be $image
            Get-Content -LiteralPath $log | Should -Be 'to-file'
            $n = Invoke-FoamCommand -Path $case -Command 'echo nowhere' -NoLog
            $n.LogPath | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $case | Should -BeNullOrEmpty
            $env:FOAMPS_IMAGE = 'foamps-test/absent:nope'
            $PSDefaultParameterValues['Invoke-FoamCommand:Image'] = $image
            (Invoke-FoamCommand -Path $case -Command true -NoLog).Image | Should -Be $image
        }
        finally {
            $env:FOAMPS_IMAGE = $saved
            $PSDefaultParameterValues.Remove('Invoke-FoamCommand:Image')
            Remove-TestDirectory $case
        }
    }

    It 'shows the command''s lines with -Verbose' {
        $case = New-TestDirectory
        try {
            $verbose = Invoke-FoamCommand -Path $case -Command 'echo first; sleep 0.2; echo second >&2; sleep 0.2; echo third' -Image $image -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $verbose | Should -Contain 'first'
            $verbose | Should -Contain 'second'
            $verbose | Should -Contain 'third'
            # stdout and stderr are separate pipes: the order across them is the order they reached the engine.
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be @('first', 'second', 'third')
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'Invoke-FoamCommand stops cleanly' -Tag Engine {
    It 'a stopped run (PowerShell.Stop) removes its container within 10 s and keeps its log' {
        $case = New-TestDirectory
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Join-Path (Get-TestModulePath) 'FoamPS.psd1')'; Invoke-FoamCommand -Path '$case' -Command 'echo started; sleep 60' -Image '$(Get-TestImage)'")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (docker ps -q --filter "label=foamps.case=$case") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            docker ps -q --filter "label=foamps.case=$case" | Should -Not -BeNullOrEmpty
            Start-Sleep -Milliseconds 500
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Get-FoamTestContainer | Should -BeNullOrEmpty
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'started'
        }
        finally { $ps.Dispose(); Remove-TestDirectory $case }
    }
}

Describe 'Invoke-FoamCommand streams heavy output' -Tag Engine {
    It 'a 100 MiB log is byte-identical to what the container wrote, with pwsh peak memory under 200 MiB' {
        $case = New-TestDirectory
        try {
            # The container writes 100 MiB of random bytes (invalid UTF-8 included) and the checksum of what it wrote.
            $command = 'head -c 104857600 /dev/urandom > /tmp/data && sha256sum /tmp/data | cut -d" " -f1 > expected.sha256 && cat /tmp/data'
            $script = @"
Import-Module '$(Join-Path (Get-TestModulePath) 'FoamPS.psd1')'
`$r = Invoke-FoamCommand -Path '$case' -Command '$($command -replace "'", "''")' -LogPath '$case/out.log' -Image '$(Get-TestImage)'
"exit=`$(`$r.ExitCode) bytes=`$(`$r.OutputBytes)"
(Get-Content /proc/`$PID/status | Where-Object { `$_ -like 'VmHWM:*' })
"@
            $out = Invoke-ChildPwsh $script
            ($out -join "`n") | Should -Match 'exit=0 bytes=104857600'
            $peakKiB = [long](($out | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', '')
            Write-Host "    pwsh peak RSS: $([math]::Round($peakKiB / 1024)) MiB"
            $peakKiB | Should -BeLessThan (200 * 1024)
            (Get-Item -LiteralPath "$case/out.log").Length | Should -Be 104857600
            (Get-FileHash -LiteralPath "$case/out.log" -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be (Get-Content -LiteralPath "$case/expected.sha256").Trim()
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }
}
