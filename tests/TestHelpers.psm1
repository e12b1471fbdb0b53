# Shared set-up for the Pester suites: the staged module, the test images, cavity cases.

$script:Images = @{
    Debian  = if ($env:FOAMPS_TEST_IMAGE_DEBIAN) { $env:FOAMPS_TEST_IMAGE_DEBIAN } else { 'foamps-test/openfoam:debian' }
    OpenCfd = if ($env:FOAMPS_TEST_IMAGE_OPENCFD) { $env:FOAMPS_TEST_IMAGE_OPENCFD } else { 'foamps-test/openfoam:opencfd' }
}
$script:CavityInImage = '/usr/share/doc/openfoam-examples/examples/incompressible/icoFoam/cavity/cavity'

function Get-TestModulePath {
    if ($env:FOAMPS_TEST_MODULE) { return $env:FOAMPS_TEST_MODULE }
    Join-Path $PSScriptRoot '../out/FoamPS'
}

function Get-TestImage([ValidateSet('Debian', 'OpenCfd')] [string] $Layout = 'Debian') { $script:Images[$Layout] }

function Get-HostUser { "$(id -u):$(id -g)" }

function New-TestDirectory([string] $Name = 'case') {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("foamps-test-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    $path = Join-Path $dir $Name
    New-Item -ItemType Directory -Path $path -Force | Out-Null
    $path
}

<#
.SYNOPSIS Copies the lid-driven cavity tutorial out of the test image into a new directory.
#>
function New-CavityCase([string] $Name = 'cavity', [string] $Image = (Get-TestImage)) {
    $case = New-TestDirectory -Name $Name
    $parent = Split-Path $case
    Remove-Item $case
    # The docker CLI is fine for fixtures; the module under test is not used to make them.
    docker run --rm --user (Get-HostUser) --entrypoint /bin/cp --mount "type=bind,source=$parent,target=/out" $Image `
        -r $script:CavityInImage /out/cavity | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "could not copy the cavity tutorial out of $Image" }
    if ($Name -ne 'cavity') { Rename-Item (Join-Path $parent 'cavity') $Name }
    $case
}

<#
.SYNOPSIS The cavity refined (100 x 100 cells, deltaT 0.001) so icoFoam runs for about 50 s per unit of -EndTime (0.4: about 20 s).
#>
function New-RefinedCavityCase([string] $Name = 'cavity', [string] $Image = (Get-TestImage), [double] $EndTime = 0.4) {
    $case = New-CavityCase -Name $Name -Image $Image
    $mesh = Join-Path $case 'system/blockMeshDict'
    (Get-Content -Raw $mesh) -replace '\(20 20 1\)', '(100 100 1)' | Set-Content -NoNewline $mesh
    $control = Join-Path $case 'system/controlDict'
    (Get-Content -Raw $control) -replace '(?m)^deltaT .*$', 'deltaT 0.001;' -replace '(?m)^endTime .*$', ('endTime {0};' -f $EndTime) -replace '(?m)^writeInterval .*$', 'writeInterval 100;' |
        Set-Content -NoNewline $control
    $case
}

<#
.SYNOPSIS A fingerprint of a directory tree (paths, sizes, modes, times, content hashes), to show it is unchanged.
#>
function Get-TreeFingerprint([string] $Path) {
    if (-not (Test-Path $Path)) { return '<absent>' }
    $item = Get-Item -LiteralPath $Path -Force
    if (-not $item.PSIsContainer) { return "file $($item.Length) $($item.LastWriteTimeUtc.Ticks) $((Get-FileHash -LiteralPath $Path).Hash)" }
    $lines = Get-ChildItem -LiteralPath $Path -Recurse -Force | Sort-Object FullName | ForEach-Object {
        $rel = $_.FullName.Substring($Path.Length)
        if ($_.PSIsContainer) { "d $rel $($_.LastWriteTimeUtc.Ticks)" }
        else { "f $rel $($_.Length) $($_.LastWriteTimeUtc.Ticks) $((Get-FileHash -LiteralPath $_.FullName).Hash)" }
    }
    ($lines -join "`n")
}

<#
.SYNOPSIS Ids of every container FoamPS labelled (any owner), running or not.
#>
function Get-FoamTestContainer { @(docker ps -aq --filter label=foamps.owner) | Where-Object { $_ } }

function Remove-TestDirectory([string] $Path) {
    if ($Path -and (Test-Path -LiteralPath $Path)) { Remove-Item -LiteralPath (Split-Path $Path) -Recurse -Force -ErrorAction SilentlyContinue }
}



<#
.SYNOPSIS The command that starts a child pwsh like this one (pwsh, or dotnet pwsh.dll for the .NET tool).
#>
function Get-PwshCommand {
    $process = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

<#
.SYNOPSIS Runs a script in a child pwsh and returns its output lines (stdout and stderr).
#>
function Invoke-ChildPwsh([string] $Script) {
    $cmd = Get-PwshCommand
    $exe = $cmd[0]
    $rest = @($cmd | Select-Object -Skip 1)
    & $exe @rest -NoProfile -NonInteractive -Command $Script 2>&1
}


<#
.SYNOPSIS A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking).
#>
function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

<#
.SYNOPSIS Starts Debian's docker-registry on 127.0.0.1 (tests/fixtures/start-registry.sh); returns its port, pid and folder.
#>
function Start-TestRegistry([string] $User, [string] $Password) {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("foamps-registry-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    $port = Get-FreePort
    $registryPid = bash (Join-Path $PSScriptRoot 'fixtures/start-registry.sh') $dir $port $User $Password
    if ($LASTEXITCODE -ne 0) { throw "the test registry did not start" }
    [pscustomobject]@{ Port = $port; Pid = [int]$registryPid; Directory = $dir; Address = "127.0.0.1:$port" }
}

function Stop-TestRegistry($Registry) {
    if (-not $Registry) { return }
    Stop-Process -Id $Registry.Pid -Force -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $Registry.Directory -Recurse -Force -ErrorAction SilentlyContinue
}

<#
.SYNOPSIS Builds a small image of three layers with content unique to this call (so a pull downloads them all).
#>
function New-SmallTestImage([string] $Tag, [int] $Megabytes = 3) {
    $dir = New-TestDirectory 'small'
    try {
        Set-Content -LiteralPath (Join-Path $dir 'base.txt') -Value ([Guid]::NewGuid())
        tar -C $dir -c base.txt | docker import - "$Tag-base" | Out-Null
        # Random content (nothing to compress, nothing shared with other images), made without holding it in memory.
        bash -c "head -c $($Megabytes * 1MB) /dev/urandom > '$dir/a.bin' && head -c $($Megabytes * 512KB) /dev/urandom > '$dir/b.bin'"
        "FROM $Tag-base`nCOPY a.bin /a.bin`nCOPY b.bin /b.bin`nLABEL openfoam.version=v1912" | Set-Content -LiteralPath (Join-Path $dir 'Dockerfile')
        docker build -q -t $Tag $dir 2>$null | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "could not build $Tag" }
        docker rmi "$Tag-base" | Out-Null
    }
    finally { Remove-TestDirectory $dir }
}

<#
.SYNOPSIS Pushes a local image to a test registry under a new name, logging in with a throw-away docker config when asked.
#>
function Push-TestImage([string] $Source, [string] $Target, [string] $User, [string] $Password) {
    $saved = $env:DOCKER_CONFIG
    $config = New-TestDirectory 'docker-config'
    try {
        $env:DOCKER_CONFIG = $config
        if ($User) {
            $Password | docker login --username $User --password-stdin ($Target -split '/')[0] 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw "docker login to $Target failed" }
        }
        docker tag $Source $Target
        docker push -q $Target | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "docker push $Target failed" }
    }
    finally { $env:DOCKER_CONFIG = $saved; Remove-TestDirectory $config }
}

function Remove-LocalImage([string[]] $Reference) {
    foreach ($r in $Reference) { docker rmi -f $r 2>$null | Out-Null }
}

<#
.SYNOPSIS Starts a second Docker engine on tcp://127.0.0.1:<free port> with --tlsverify (tests/fixtures/start-tls-engine.sh), with the given images copied in.
Returns Host, Port, CertPath (ca.pem, cert.pem, key.pem of the client), Directory. Needs root (it starts dockerd): returns $null for other users.
#>
function Start-TestTlsEngine([string[]] $Image = @(Get-TestImage)) {
    if ((id -u) -ne '0') { return $null }
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("foamps-tls-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    $port = Get-FreePort
    bash (Join-Path $PSScriptRoot 'fixtures/start-tls-engine.sh') $dir $port @Image | Write-Host
    if ($LASTEXITCODE -ne 0) { throw "the TLS test engine did not start (see $dir/dockerd.log)" }
    [pscustomobject]@{ Host = "tcp://127.0.0.1:$port"; Port = $port; CertPath = $dir; Directory = $dir }
}

function Stop-TestTlsEngine($Engine) {
    if (-not $Engine) { return }
    $pidFile = Join-Path $Engine.Directory 'dockerd.pid'
    if (Test-Path $pidFile) {
        $enginePid = [int](Get-Content $pidFile)
        Stop-Process -Id $enginePid -ErrorAction SilentlyContinue
        # dockerd unmounts its layers on the way out; give it the time it needs.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        $alive = { (Test-Path "/proc/$enginePid/status") -and -not (Select-String -Path "/proc/$enginePid/status" -Pattern '^State:\s*Z' -Quiet) }
        while ((& $alive) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Stop-Process -Id $enginePid -Force -ErrorAction SilentlyContinue
    }
    # Its containerd and container shims too (a killed engine leaves them), then its mounts.
    bash -c "pkill -9 -f '$($Engine.Directory)/exec' 2>/dev/null; sleep 0.5; grep -o ' $($Engine.Directory)/[^ ]*' /proc/mounts | sort -r | xargs -r umount -l 2>/dev/null; rm -rf '$($Engine.Directory)'" 2>$null
}

<#
.SYNOPSIS The docker CLI against the TLS test engine.
#>
function Invoke-TlsDocker($Engine) {
    docker --host $Engine.Host --tlsverify --tlscacert "$($Engine.CertPath)/ca.pem" --tlscert "$($Engine.CertPath)/cert.pem" --tlskey "$($Engine.CertPath)/key.pem" @args
}
<#
.SYNOPSIS A proxy on 127.0.0.1 in front of the local engine that holds back requests containing -Match for -Delay,
then forwards them even if the client has gone (tests/fixtures/DelayingEngineProxy.cs). Dispose() stops it.
#>
function Start-DelayingEngineProxy([string] $Match, [TimeSpan] $Delay) {
    if (-not ('FoamPSTests.DelayingEngineProxy' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'fixtures/DelayingEngineProxy.cs')
    }
    [FoamPSTests.DelayingEngineProxy]::new('/var/run/docker.sock', $Match, $Delay)
}

Export-ModuleMember -Function *
