<#
.SYNOPSIS
    Runs the Pester suites against the staged module (called by build.ps1 Test in a child pwsh)
    and writes the counts to a JSON summary.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $Tag
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:FOAMPS_TEST_MODULE = $ModulePath

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
if ($Tag) { $config.Filter.Tag = $Tag -split "," }

$result = Invoke-Pester -Configuration $config
# Tests that could not run (a failed BeforeAll) are counted as failed, never as passed.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content -Path $SummaryPath
