<#
.SYNOPSIS
    FoamPS against the docker CLI, in one run, on the same engine, image, mount, user and
    environment sourcing. Prints absolute times and ratios (FoamPS / docker CLI).
.DESCRIPTION
    trivial   a command that does nothing: per-command overhead (module already imported).
              Target: <= 1.0 x `docker run --rm`.
    heavy     256 MiB of solver-like lines to the log. Target: <= 0.5 x `docker run ... > file`
              (the CLI's run goes through the engine's default json-file logging, as users run it).
    stats     one sample of 16 running containers against one sample of one (target <= 2 x; the
              "docker CLI" column of that row is FoamPS's own one-container time), and against
              `docker stats --no-stream` of the same 16.
    cavity    blockMesh + icoFoam on fresh copies: -CaseTransfer Copy against Bind (target <= 1.5), and
              FoamPS against the seed's way, two `docker run`s from a PowerShell script (target <= 1.0).
    Medians of several alternating runs; wall-clock numbers are measured here, never asserted in tests.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FoamPS'),
    [string] $Image = $(if ($env:FOAMPS_TEST_IMAGE_DEBIAN) { $env:FOAMPS_TEST_IMAGE_DEBIAN } else { 'foamps-test/openfoam:debian' }),
    [int] $TrivialRuns = 15,
    [int] $HeavyRuns = 3,
    [int] $CavityRuns = 5
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'FoamPS.psd1')

$case = Join-Path ([IO.Path]::GetTempPath()) "foamps-bench-$PID"
New-Item -ItemType Directory -Path $case -Force | Out-Null
$user = "$(id -u):$(id -g)"
$bashrc = '/usr/share/openfoam/etc/bashrc'
$mount = "type=bind,source=$case,target=/home/openfoam/project"

function Measure-Seconds([scriptblock] $Script) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Script | Out-Null
    $clock.Elapsed.TotalSeconds
}
function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}
function Invoke-Cli([string] $Command, [string] $LogFile, [string[]] $Extra = @()) {
    $script = ". $bashrc >/dev/null 2>&1 </dev/null; cd /home/openfoam/project || exit 125; $Command"
    docker run --rm @Extra --user $user --mount $mount -w /home/openfoam/project -e HOME=/tmp/foamps-home `
        --entrypoint /bin/bash $Image -c $script > $LogFile
    if ($LASTEXITCODE -ne 0) { throw "docker run failed ($LASTEXITCODE)" }
}

$rows = [Collections.Generic.List[object]]::new()
try {
    # Warm-up: image layers in the page cache, FoamPS's environment probe cached, JIT done.
    1..2 | ForEach-Object {
        Invoke-FoamCommand -Path $case -Command true -Image $Image | Out-Null
        Invoke-Cli 'true' (Join-Path $case 'log.cli')
    }

    $foam = [Collections.Generic.List[double]]::new(); $cli = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $TrivialRuns; $i++) {
        $foam.Add((Measure-Seconds { Invoke-FoamCommand -Path $case -Command true -Image $Image }))
        $cli.Add((Measure-Seconds { Invoke-Cli 'true' (Join-Path $case 'log.cli') }))
    }
    $rows.Add([pscustomobject]@{ Benchmark = 'trivial command'; Runs = $TrivialRuns; FoamPS_s = (Get-Median $foam); FoamPS_all = @($foam); DockerCli_s = (Get-Median $cli); Base_all = @($cli); Target = 1.0; Baseline = 'docker run --rm' })

    $bytes = 256MB
    $generator = "yes 'Time = 0.00125  Courant Number mean: 0.0123 max: 0.4567  DILUPBiCG: Solving for Ux' | head -c $bytes"
    $foam = [Collections.Generic.List[double]]::new(); $cli = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $HeavyRuns; $i++) {
        $foam.Add((Measure-Seconds {
            $r = Invoke-FoamCommand -Path $case -Command $generator -Image $Image -LogPath (Join-Path $case 'log.foamps')
            if ($r.OutputBytes -ne $bytes) { throw "FoamPS logged $($r.OutputBytes) bytes, expected $bytes" }
        }))
        $cli.Add((Measure-Seconds { Invoke-Cli $generator (Join-Path $case 'log.cli') }))
        if ((Get-Item (Join-Path $case 'log.cli')).Length -ne $bytes) { throw 'the docker CLI logged a different size' }
    }
    $rows.Add([pscustomobject]@{ Benchmark = 'heavy output (256 MiB)'; Runs = $HeavyRuns; FoamPS_s = (Get-Median $foam); FoamPS_all = @($foam); DockerCli_s = (Get-Median $cli); Base_all = @($cli); Target = 0.5; Baseline = 'docker run > file' })
    # Stats: sampling 16 running containers once against sampling one (target <= 2x), with the
    # docker CLI's `docker stats --no-stream` of the same 16 beside it.
    $many = 1..16 | ForEach-Object { Invoke-FoamCommand -Path $case -Command 'sleep 300' -Image $Image -Detach -NoLog }
    try {
        $one = [Collections.Generic.List[double]]::new(); $sixteen = [Collections.Generic.List[double]]::new(); $cliStats = [Collections.Generic.List[double]]::new()
        for ($i = 0; $i -lt 3; $i++) {
            $one.Add((Measure-Seconds { Get-FoamContainerStats -Id $many[0].Id }))
            $sixteen.Add((Measure-Seconds { if (@(Get-FoamContainerStats -Id $many.Id).Count -ne 16) { throw 'not 16 samples' } }))
            $cliStats.Add((Measure-Seconds { docker stats --no-stream @($many.Id) }))
        }
        $rows.Add([pscustomobject]@{ Benchmark = 'stats, 16 containers'; Runs = 3; FoamPS_s = (Get-Median $sixteen); FoamPS_all = @($sixteen); DockerCli_s = (Get-Median $one); Base_all = @($one); Target = 2.0; Baseline = 'FoamPS, 1 container' })
        $rows.Add([pscustomobject]@{ Benchmark = 'stats, 16 containers'; Runs = 3; FoamPS_s = (Get-Median $sixteen); FoamPS_all = @($sixteen); DockerCli_s = (Get-Median $cliStats); Base_all = @($cliStats); Target = 1.0; Baseline = 'docker stats, 16' })
    }
    finally { $many | Remove-FoamContainer -Force }
    # Many cases: 8 cavities (blockMesh && icoFoam) with -ThrottleLimit 2 against the ideal, half the sum of single-case walls.
    $cases = Join-Path $case 'many'
    New-Item -ItemType Directory -Path $cases | Out-Null
    Invoke-FoamCommand -Path $cases -Image $Image -NoLog -Command 'for i in 1 2 3 4 5 6 7 8; do mkdir c$i && cp -r /usr/share/doc/openfoam-examples/examples/incompressible/icoFoam/cavity/cavity/. c$i/; done' | Out-Null
    $single = 0.0
    foreach ($c in Get-ChildItem -LiteralPath $cases -Directory) {
        $single += Measure-Seconds { Invoke-FoamCommand -Path $c.FullName -Command 'blockMesh && icoFoam' -Image $Image }
    }
    $throttled = Measure-Seconds { Get-ChildItem -LiteralPath $cases -Directory | Invoke-FoamCommand -Command 'blockMesh && icoFoam' -ThrottleLimit 2 -Image $Image }
    $rows.Add([pscustomobject]@{ Benchmark = '8 cases, -ThrottleLimit 2'; Runs = 1; FoamPS_s = $throttled; DockerCli_s = $single / 2; Target = 1.3; Baseline = 'ideal: sum of singles / 2' })

    # Sessions: a trivial command through exec in a warm session against `docker run --rm`.
    $session = New-FoamSession -Path $case -Image $Image
    try {
        Invoke-FoamCommand -Session $session -Command true -NoLog | Out-Null
        $exec = [Collections.Generic.List[double]]::new(); $run = [Collections.Generic.List[double]]::new()
        for ($i = 0; $i -lt $TrivialRuns; $i++) {
            $exec.Add((Measure-Seconds { Invoke-FoamCommand -Session $session -Command true -NoLog }))
            $run.Add((Measure-Seconds { Invoke-Cli 'true' (Join-Path $case 'log.cli') }))
        }
        $rows.Add([pscustomobject]@{ Benchmark = 'trivial command in a session'; Runs = $TrivialRuns; FoamPS_s = (Get-Median $exec); FoamPS_all = @($exec); DockerCli_s = (Get-Median $run); Base_all = @($run); Target = 0.3; Baseline = 'docker run --rm' })
    }
    finally { $session | Remove-FoamSession -Confirm:$false }

    # The cavity (blockMesh, then icoFoam) three ways on fresh copies: FoamPS with the case copied in and
    # back (-CaseTransfer Copy) against FoamPS bind-mounting it, and FoamPS against what users wrote
    # before it (the seed): two `docker run`s from a PowerShell script, logs redirected to the case.
    $template = Join-Path $case 'cavity-template'
    New-Item -ItemType Directory -Path $template | Out-Null
    Invoke-FoamCommand -Path $template -Image $Image -NoLog -Command 'cp -r /usr/share/doc/openfoam-examples/examples/incompressible/icoFoam/cavity/cavity/. .' | Out-Null
    $n = 0
    function New-BenchCavity { $script:n++; $c = Join-Path $case "cavity-$script:n"; Copy-Item -LiteralPath $template -Destination $c -Recurse; $c }
    $copyTimes = [Collections.Generic.List[double]]::new(); $bindTimes = [Collections.Generic.List[double]]::new(); $seedTimes = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $CavityRuns; $i++) {
        $c = New-BenchCavity
        $copyTimes.Add((Measure-Seconds {
            foreach ($step in 'blockMesh', 'icoFoam') { if (-not (Invoke-FoamCommand -Path $c -Command $step -Image $Image -CaseTransfer Copy).Succeeded) { throw "copy: $step failed" } }
        }))
        if (-not (Test-Path (Join-Path $c '0.5/U'))) { throw 'copy mode did not bring 0.5/U back' }
        $c = New-BenchCavity
        $bindTimes.Add((Measure-Seconds {
            foreach ($step in 'blockMesh', 'icoFoam') { if (-not (Invoke-FoamCommand -Path $c -Command $step -Image $Image -CaseTransfer Bind).Succeeded) { throw "bind: $step failed" } }
        }))
        $c = New-BenchCavity
        $seedTimes.Add((Measure-Seconds {
            $m = "type=bind,source=$c,target=/home/openfoam/project"
            foreach ($step in 'blockMesh', 'icoFoam') {
                docker run --rm --user $user --mount $m -w /home/openfoam/project --entrypoint /bin/bash $Image -c ". $bashrc >/dev/null 2>&1; $step" > (Join-Path $c "log.$step")
                if ($LASTEXITCODE -ne 0) { throw "docker run: $step failed" }
            }
        }))
        if (-not (Test-Path (Join-Path $c '0.5/U'))) { throw 'the docker run script did not write 0.5/U' }
    }
    $rows.Add([pscustomobject]@{ Benchmark = 'cavity, -CaseTransfer Copy'; Runs = $CavityRuns; FoamPS_s = (Get-Median $copyTimes); FoamPS_all = @($copyTimes); DockerCli_s = (Get-Median $bindTimes); Base_all = @($bindTimes); Target = 1.5; Baseline = 'FoamPS, Bind' })
    $rows.Add([pscustomobject]@{ Benchmark = 'cavity, blockMesh + icoFoam'; Runs = $CavityRuns; FoamPS_s = (Get-Median $bindTimes); FoamPS_all = @($bindTimes); DockerCli_s = (Get-Median $seedTimes); Base_all = @($seedTimes); Target = 1.0; Baseline = 'docker run x2 (seed script)' })

    # Import-Module of the staged module over a bare pwsh, both in child processes.
    $pwshCommand = @((Get-Process -Id $PID).Path)
    if ([IO.Path]::GetFileNameWithoutExtension($pwshCommand[0]) -eq 'dotnet') { $pwshCommand += Join-Path $PSHOME 'pwsh.dll' }
    $pwshRest = @($pwshCommand | Select-Object -Skip 1)
    $bare = [Collections.Generic.List[double]]::new(); $imported = [Collections.Generic.List[double]]::new()
    $importScript = "Import-Module '$(Join-Path $ModulePath 'FoamPS.psd1')'; 1"
    for ($i = 0; $i -lt 5; $i++) {
        $bare.Add((Measure-Seconds { & $pwshCommand[0] @pwshRest -NoProfile -NonInteractive -Command 1 }))
        $imported.Add((Measure-Seconds { & $pwshCommand[0] @pwshRest -NoProfile -NonInteractive -Command $importScript }))
    }
    $importOver = (Get-Median $imported) - (Get-Median $bare)
    $rows.Add([pscustomobject]@{ Benchmark = 'pwsh + Import-Module FoamPS'; Runs = 5; FoamPS_s = (Get-Median $imported); FoamPS_all = @($imported); DockerCli_s = (Get-Median $bare); Base_all = @($bare); Target = [double]::NaN; Baseline = 'bare pwsh -c 1' })

    # Log parsing: Get-FoamResidual on a >= 200 MB solver log against `grep -c 'Solving for'` (the floor of reading it).
    Invoke-FoamCommand -Path $case -Image $Image -NoLog -Command 'cp -r /usr/share/doc/openfoam-examples/examples/incompressible/icoFoam/cavity/cavity/. . && blockMesh' | Out-Null
    $solve = Invoke-FoamCommand -Path $case -Image $Image -Command icoFoam
    $bigLog = Join-Path $case 'log.big'
    bash -c "for i in `$(seq 1 3000); do cat '$($solve.LogPath)'; done > '$bigLog'"
    $megabytes = (Get-Item $bigLog).Length / 1MB
    $parse = [Collections.Generic.List[double]]::new(); $grep = [Collections.Generic.List[double]]::new(); $parserOnly = [Collections.Generic.List[double]]::new(); $discarded = [Collections.Generic.List[double]]::new()
    $before = [long]((Get-Content /proc/$PID/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', '')
    for ($i = 0; $i -lt 3; $i++) {
        $grep.Add((Measure-Seconds { bash -c "grep -c 'Solving for' '$bigLog' > /dev/null" }))
        # Every object is made and written; `| Out-Null` carries them through a pipeline stage
        # (`$null = ...` would collect them all first: not streaming, and not what users do).
        $parse.Add((Measure-Seconds { Get-FoamResidual -Path $bigLog | Out-Null }))
        $discarded.Add((Measure-Seconds { Get-FoamResidual -Path $bigLog > $null }))
        $parserOnly.Add((Measure-Seconds { [FoamPS.Foam.LogParser]::ParseFile($bigLog, $null, $null) }))
    }
    $rows.Add([pscustomobject]@{ Benchmark = ("Get-FoamResidual, {0:N0} MB log" -f $megabytes); Runs = 3; FoamPS_s = (Get-Median $parse); FoamPS_all = @($parse); DockerCli_s = (Get-Median $grep); Base_all = @($grep); Target = [double]::NaN; Baseline = "grep -c 'Solving for'" })
    $throughput = $megabytes / (Get-Median $parse)
    $afterParse = [long]((Get-Content /proc/$PID/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', '')
    Remove-Item $bigLog
    $peak = [long]((Get-Content /proc/$PID/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', '') / 1024
}
finally {
    Remove-Item $case -Recurse -Force -ErrorAction SilentlyContinue
}

$report = foreach ($r in $rows) {
    $ratio = $r.FoamPS_s / $r.DockerCli_s
    [pscustomobject]@{
        Benchmark      = $r.Benchmark
        Runs           = $r.Runs
        'FoamPS (s)'   = [math]::Round($r.FoamPS_s, 3)
        'Baseline'     = $r.Baseline
        'Baseline (s)' = [math]::Round($r.DockerCli_s, 3)
        'Ratio'        = [math]::Round($ratio, 2)
        'Target'       = if ([double]::IsNaN($r.Target)) { 'see below' } else { "<= $($r.Target)" }
        'Met'          = if ([double]::IsNaN($r.Target)) { '' } else { $ratio -le $r.Target }
    }
}
# The same report as markdown, with min and max, in bench/results.md.
function Format-Range($Values) { if ($Values -and @($Values).Count -gt 1) { '{0:N3} ({1:N3}-{2:N3})' -f (Get-Median $Values), ($Values | Measure-Object -Minimum).Minimum, ($Values | Measure-Object -Maximum).Maximum } else { '' } }
$md = [Collections.Generic.List[string]]::new()
$md.Add("# FoamPS benchmark report")
$md.Add("")
$md.Add("Measured $(Get-Date -Format 'yyyy-MM-dd HH:mm') on $([Environment]::ProcessorCount) CPUs, engine $(docker version --format '{{.Server.Version}}'), image $Image. Medians (min-max) in seconds; Ratio = FoamPS / Baseline.")
$md.Add("")
$md.Add("| Benchmark | Runs | FoamPS (s) | Baseline | Baseline (s) | Ratio | Target | Met |")
$md.Add("|---|---|---|---|---|---|---|---|")
foreach ($r in $rows) {
    $f = if (Format-Range $r.FoamPS_all) { Format-Range $r.FoamPS_all } else { '{0:N3}' -f $r.FoamPS_s }
    $b = if (Format-Range $r.Base_all) { Format-Range $r.Base_all } else { '{0:N3}' -f $r.DockerCli_s }
    $ratio = $r.FoamPS_s / $r.DockerCli_s
    $target = if ([double]::IsNaN($r.Target)) { 'see notes' } else { "<= $($r.Target)" }
    $met = if ([double]::IsNaN($r.Target)) { '' } else { "$($ratio -le $r.Target)" }
    $md.Add("| $($r.Benchmark) | $($r.Runs) | $f | $($r.Baseline) | $b | $('{0:N2}' -f $ratio) | $target | $met |")
}
$md.Add("")
$md.Add(("- Get-FoamResidual: {0:N0} MB/s into ``| Out-Null``, {1:N0} MB/s into ``> `$null`` (target >= 100 MB/s); memory before {2:N0} MiB, after {3:N0} MiB." -f $throughput, ($megabytes / (Get-Median $discarded)), ($before / 1024), ($afterParse / 1024)))
$md.Add(("- Import-Module FoamPS: {0:N2} s over a bare pwsh (target <= 0.5 s)." -f $importOver))
$md.Add("- Copy mode runs on the same (local) engine as Bind, so the ratio is the cost of packing, sending, fetching and comparing the case; over a network add the transfer time of the case and of what the run wrote.")
$md | Set-Content -LiteralPath (Join-Path $PSScriptRoot 'results.md')

Write-Host "`nFoamPS against its baselines, Ratio = FoamPS / Baseline (medians; engine $(docker version --format '{{.Server.Version}}'), image $Image, $([Environment]::ProcessorCount) CPUs)"
$report | Format-Table -AutoSize | Out-String -Width 120 | Write-Host
Write-Host ("Get-FoamResidual: {0:N0} MB/s into | Out-Null, {1:N0} MB/s into > `$null (target >= 100 MB/s); the log reader alone {2:N0} MB/s; peak memory before parsing {3:N0} MiB, after {4:N0} MiB (flat: streaming)" -f $throughput, ($megabytes / (Get-Median $discarded)), ($megabytes / (Get-Median $parserOnly)), ($before / 1024), ($afterParse / 1024))
Write-Host ("Import-Module FoamPS: {0:N2} s over a bare pwsh (target <= 0.5 s)" -f $importOver)
Write-Host "Peak memory of this pwsh process (FoamPS imported, all runs): $([math]::Round($peak)) MiB"
Write-Host "Written: $(Join-Path $PSScriptRoot 'results.md')"
