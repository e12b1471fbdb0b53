<#
.SYNOPSIS
    Writes the staged module's manifest: FoamPS.psd1 with the release notes from CHANGELOG.md and,
    for a release, the project's address.
.DESCRIPTION
    ReleaseNotes become the CHANGELOG's two newest sections. ProjectUri is left out unless given:
    FoamPS has no public repository address yet, and the manifest must not name one that is not real.
    build.ps1 Build and Package call this; `build.ps1 Package -ProjectUri https://...` sets it.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Changelog,
    [Parameter(Mandatory)] [string] $Destination,
    [AllowEmptyString()] [string] $ProjectUri
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$text = Get-Content -Raw -LiteralPath $Manifest
$notes = ((Get-Content -Raw -LiteralPath $Changelog) -split '(?m)^## ' | Select-Object -Skip 1 | Select-Object -First 2 |
    ForEach-Object { '## ' + $_.Trim() }) -join "`n`n"
$placeholder = "ReleaseNotes = 'See CHANGELOG.md.'"
if (-not $text.Contains($placeholder)) { throw "$Manifest has no line $placeholder to fill in." }
$text = $text.Replace($placeholder, "ReleaseNotes = '" + $notes.Replace("'", "''") + "'")

if ($ProjectUri) {
    $uri = $null
    if (-not [Uri]::TryCreate($ProjectUri, [UriKind]::Absolute, [ref] $uri) -or $uri.Scheme -notin 'https', 'http') {
        throw "-ProjectUri must be an absolute http(s) address, not '$ProjectUri'."
    }
    $anchor = [regex]::Match($text, "(?m)^(\s*)LicenseUri\s*=.*$")
    if (-not $anchor.Success) { throw "$Manifest has no LicenseUri line to put ProjectUri beside." }
    $line = "`n" + $anchor.Groups[1].Value + "ProjectUri   = '" + $uri.AbsoluteUri.Replace("'", "''") + "'"
    $text = $text.Insert($anchor.Index + $anchor.Length, $line)
}
Set-Content -LiteralPath $Destination -Value $text -NoNewline
