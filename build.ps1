<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks FoamPS.
.DESCRIPTION
    Build  stages the importable module at out/FoamPS (manifest, loader, both builds, format file).
    Test   Build, then the xUnit tests and every Pester test in a child pwsh; prints "N passed, N failed".
    Demo   Build, then the lid-driven cavity through the module: blockMesh, then icoFoam.
    Bench  Build, then timings of FoamPS against the docker CLI in the same run, as ratios.
    Package  Build, then out/package/FoamPS.<version>.nupkg (Publish-PSResource to a local folder repository).
             -ProjectUri (or $env:FOAMPS_PROJECT_URI) puts the project's address into the manifest.
    Clean  Removes out/ and the build folders.
    Test, Demo and Bench make sure a Docker engine answers first: on Linux with apt, as root,
    they install and start Debian's docker.io; elsewhere they say how to get Docker.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    # Pester tags to run (default: all). E.g. -Tag Unit
    [string[]] $Tag,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Package only: the project's public address for the manifest's PSData.ProjectUri (none is invented).
    [string] $ProjectUri = $env:FOAMPS_PROJECT_URI
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$staged = Join-Path $out 'FoamPS'
$frameworks = 'netstandard2.0', 'net8.0'
$pesterVersion = '5.7.1'

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Invoke-Build([string] $ReleaseProjectUri) {
    $project = Join-Path $root 'src/FoamPS/FoamPS.csproj'
    # The version lives in FoamPS.psd1 only; the assembly gets it from there.
    $version = (Import-PowerShellDataFile (Join-Path $root 'FoamPS.psd1')).ModuleVersion
    Invoke-Native 'dotnet build' { dotnet build $project -c $Configuration --nologo -v quiet -clp:ErrorsOnly "-p:Version=$version" }
    $isolation = Join-Path $root 'src/FoamPS.Isolation/FoamPS.Isolation.csproj'
    Invoke-Native 'dotnet build' { dotnet build $isolation -c $Configuration --nologo -v quiet -clp:ErrorsOnly "-p:Version=$version" }
    if (Test-Path $staged) { Remove-Item $staged -Recurse -Force }
    foreach ($fw in $frameworks) {
        $from = Join-Path $root "src/FoamPS/bin/$Configuration/$fw"
        $to = Join-Path $staged "bin/$fw"
        $deps = Join-Path $to 'deps'
        New-Item -ItemType Directory -Path $deps -Force | Out-Null
        Copy-Item (Join-Path $from 'FoamPS.dll'), (Join-Path $from 'FoamPS.pdb') $to
        # Dependencies go to the private folder the module's resolver loads from.
        Get-ChildItem $from -Filter *.dll | Where-Object Name -NE 'FoamPS.dll' | Copy-Item -Destination $deps
    }
    # PowerShell 7 loads the net8.0 build through this into its own AssemblyLoadContext (see FoamPS.psm1).
    Copy-Item (Join-Path $root "src/FoamPS.Isolation/bin/$Configuration/net8.0/FoamPS.Isolation.dll") (Join-Path $staged 'bin/net8.0')
    Copy-Item (Join-Path $root 'FoamPS.psm1'), (Join-Path $root 'src/FoamPS/FoamPS.format.ps1xml') $staged
    # The staged manifest carries the release notes: the CHANGELOG's two newest sections.
    & (Join-Path $root 'tools/Write-StagedManifest.ps1') -Manifest (Join-Path $root 'FoamPS.psd1') -Changelog (Join-Path $root 'CHANGELOG.md') `
        -Destination (Join-Path $staged 'FoamPS.psd1') -ProjectUri $ReleaseProjectUri
    Copy-Item (Join-Path $root 'LICENSE') $staged
    # Help: markdown under docs/en-US turned into MAML, in a child pwsh (it imports the staged module).
    Invoke-Pwsh -File (Join-Path $root 'tools/Convert-HelpMarkdown.ps1') -ModulePath $staged -DocsPath (Join-Path $root 'docs/en-US')
    if ($LASTEXITCODE -ne 0) { throw 'Building the help failed.' }
    Write-Host "Staged the module at $staged"
}

function Initialize-Engine {
    if ($IsLinux) {
        Invoke-Native 'ensure-engine' { bash (Join-Path $root 'tools/ensure-engine.sh') }
    }
    else {
        docker version --format '{{.Server.Version}}' 2>$null | Out-Null
        if ($LASTEXITCODE -ne 0) { throw 'No Docker engine answers. Install and start Docker Desktop (or a Docker engine), then run this again.' }
    }
}

function Initialize-TestImage {
    if (-not $IsLinux) { throw 'The test images are built with debootstrap: run the tests on Linux (as root), or in WSL.' }
    Invoke-Native 'building the OpenFOAM test images' { bash (Join-Path $root 'tests/fixtures/build-openfoam-image.sh') }
}

function Get-PesterPath {
    $project = Join-Path $root 'tools/Tools.proj'
    Invoke-Native 'restoring the build tools' { dotnet restore $project --nologo -v quiet }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $pesterVersion was not restored to $manifest." }
    $manifest
}

# The command that starts a child pwsh like this one: pwsh itself, or dotnet + pwsh.dll for the .NET tool.
function Get-Pwsh {
    $process = (Get-Process -Id $PID).Path
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    @($process)
}

function Invoke-Pwsh {
    $pwsh = @(Get-Pwsh)
    $rest = @($pwsh | Select-Object -Skip 1)
    & $pwsh[0] @rest -NoProfile -NonInteractive @args
}

function Invoke-Test {
    Invoke-Build
    Initialize-Engine
    Initialize-TestImage
    New-Item -ItemType Directory -Path (Join-Path $out 'test') -Force | Out-Null

    # xUnit: the pure logic.
    $trx = Join-Path $out 'test/unit.trx'
    Remove-Item $trx -ErrorAction SilentlyContinue
    dotnet test (Join-Path $root 'tests/FoamPS.Tests/FoamPS.Tests.csproj') -c $Configuration --nologo -v quiet `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal'
    $unit = @{ Passed = 0; Failed = 0; Skipped = 0 }
    if (Test-Path $trx) {
        $counters = ([xml](Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $unit = @{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout; Skipped = [int]$counters.notExecuted }
    }
    else { $unit.Failed = 1; Write-Host 'xUnit produced no results: counted as one failure.' }

    # Pester, in a child pwsh so the build never holds the module's DLL.
    $summary = Join-Path $out 'test/pester.json'
    Remove-Item $summary -ErrorAction SilentlyContinue
    $runner = Join-Path $root 'tests/Invoke-PesterRun.ps1'
    $tagArgs = if ($Tag) { @('-Tag', ($Tag -join ',')) } else { @() }
    Invoke-Pwsh -File $runner -PesterPath (Get-PesterPath) -ModulePath $staged -SummaryPath $summary @tagArgs
    $pester = @{ Passed = 0; Failed = 1; Skipped = 0 }
    if (Test-Path $summary) { $pester = Get-Content -Raw $summary | ConvertFrom-Json -AsHashtable }
    else { Write-Host 'Pester produced no summary: counted as one failure.' }

    $passed = $unit.Passed + $pester.Passed
    $failed = $unit.Failed + $pester.Failed
    $skipped = $unit.Skipped + $pester.Skipped
    Write-Host "xUnit: $($unit.Passed) passed, $($unit.Failed) failed, $($unit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    $line = "$passed passed, $failed failed" + $(if ($skipped) { ", $skipped skipped" } else { '' })
    Write-Host $line
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Initialize-Engine
    Invoke-Pwsh -File (Join-Path $root 'examples/Invoke-CavityDemo.ps1') -ModulePath $staged -BuildTestImage (Join-Path $root 'tests/fixtures/build-openfoam-image.sh')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    Initialize-Engine
    Initialize-TestImage
    Invoke-Pwsh -File (Join-Path $root 'bench/Invoke-Benchmark.ps1') -ModulePath $staged
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    # Only a package carries the project's address: a Build or Test never does, whatever the environment says.
    Invoke-Build -ReleaseProjectUri $ProjectUri
    $package = Join-Path $out 'package'
    if (Test-Path $package) { Remove-Item $package -Recurse -Force }
    New-Item -ItemType Directory -Path $package | Out-Null
    # A repository only for this publish, removed again: the user's repositories are left alone.
    $name = 'FoamPSBuild' + $PID
    Register-PSResourceRepository -Name $name -Uri $package -Trusted
    try { Publish-PSResource -Path $staged -Repository $name -SkipDependenciesCheck }
    finally { Unregister-PSResourceRepository -Name $name }
    Get-ChildItem $package -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
    'Clean' {
        foreach ($dir in $out, (Join-Path $root 'src/FoamPS/bin'), (Join-Path $root 'src/FoamPS/obj'), (Join-Path $root 'src/FoamPS.Isolation/bin'), (Join-Path $root 'src/FoamPS.Isolation/obj'), (Join-Path $root 'tests/FoamPS.Tests/bin'), (Join-Path $root 'tests/FoamPS.Tests/obj')) {
            if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
        }
    }
}
