<#
.SYNOPSIS
    The lid-driven cavity, through FoamPS: copy the tutorial, blockMesh, icoFoam, show the results.
.DESCRIPTION
    Uses the default image (opencfd/openfoam-default:latest, or $env:FOAMPS_IMAGE) when the engine has
    it or can pull it; otherwise the locally built OpenFOAM image of the tests (Debian's OpenFOAM in the
    OpenCFD layout), and says which.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FoamPS'),
    [string] $BuildTestImage = (Join-Path $PSScriptRoot '../tests/fixtures/build-openfoam-image.sh'),
    [string] $WorkDirectory = (Join-Path ([IO.Path]::GetTempPath()) 'foamps-demo')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'FoamPS.psd1')

function Test-Image([string] $Image) { docker image inspect $Image *> $null; $LASTEXITCODE -eq 0 }

$image = if ($env:FOAMPS_IMAGE) { $env:FOAMPS_IMAGE } else { 'opencfd/openfoam-default:latest' }
if (-not (Test-Image $image)) {
    Write-Host "Trying to pull $image ..."
    $pull = Start-Process docker -ArgumentList 'pull', '-q', $image -PassThru -RedirectStandardOutput ([IO.Path]::GetTempFileName()) -RedirectStandardError ([IO.Path]::GetTempFileName())
    if (-not $pull.WaitForExit(120000)) { $pull.Kill() }
}
if (Test-Image $image) {
    Write-Host "Using the image $image."
}
else {
    $image = 'foamps-test/openfoam:opencfd'
    Write-Host "The default image cannot be had here (no registry reachable): using the local OpenFOAM image $image (Debian's OpenFOAM v1912, OpenCFD layout)."
    if (-not (Test-Image $image)) {
        if (-not $IsLinux) { throw "Pull an OpenFOAM image (docker pull opencfd/openfoam-default) and run again." }
        bash $BuildTestImage
        if ($LASTEXITCODE -ne 0) { throw 'Building the local OpenFOAM image failed.' }
    }
}

if (Test-Path $WorkDirectory) { Remove-Item $WorkDirectory -Recurse -Force }
New-Item -ItemType Directory -Path $WorkDirectory | Out-Null
Write-Host "`n1. Copy the cavity tutorial out of the image into $WorkDirectory"
$case = (Copy-FoamTutorial -Name incompressible/icoFoam/cavity/cavity -Destination (Join-Path $WorkDirectory 'cavity') -Image $image).FullName

Write-Host "2. blockMesh, then icoFoam, in containers"
$results = 'blockMesh', 'icoFoam' | ForEach-Object { Invoke-FoamCommand -Path $case -Command $_ -Image $image }
$results | Format-Table | Out-String -Width 120 | Write-Host

Write-Host "3. What the solver wrote"
Get-ChildItem -LiteralPath $case | Format-Table Mode, LastWriteTime, Length, Name -AutoSize | Out-String -Width 120 | Write-Host
$log = Get-Content -LiteralPath (Join-Path $case 'log.icoFoam')
$last = ($log | Select-String '^Time = ' | Select-Object -Last 1).Line
$courant = ($log | Select-String '^Courant Number' | Select-Object -Last 1).Line
Write-Host "Last time step: $last; $courant"
Write-Host "Log tail (log.icoFoam):"
$log | Select-Object -Last 6 | ForEach-Object { Write-Host "  $_" }

if (-not ($results | Where-Object { -not $_.Succeeded }) -and (Test-Path (Join-Path $case '0.5/U'))) {
    Write-Host "`nDemo passed: the cavity ran to t = 0.5 in $([math]::Round(($results | ForEach-Object { $_.Duration.TotalSeconds } | Measure-Object -Sum).Sum, 2)) s of container time." -ForegroundColor Green
}
else { Write-Error 'Demo failed: see the results above.'; exit 1 }
