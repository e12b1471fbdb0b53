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
# Escaped for a single-quoted string, typographic quotes (which also end one) included.
$quote = { param([string] $s) [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($s) }
$text = $text.Replace($placeholder, "ReleaseNotes = '" + (& $quote $notes) + "'")

if ($ProjectUri) {
    $uri = $null
    if (-not [Uri]::TryCreate($ProjectUri, [UriKind]::Absolute, [ref] $uri) -or $uri.Scheme -notin 'https', 'http') {
        throw "-ProjectUri must be an absolute http(s) address, not '$ProjectUri'."
    }
    if ($uri.UserInfo) { throw '-ProjectUri must not carry a user name or password.' }
    if ($text -match '(?m)^\s*ProjectUri\s*=') { throw "$Manifest already has a ProjectUri: change it there, or leave -ProjectUri out." }
    $anchor = [regex]::Match($text, "(?m)^(\s*)LicenseUri\s*=.*$")
    if (-not $anchor.Success) { throw "$Manifest has no LicenseUri line to put ProjectUri beside." }
    $line = "`n" + $anchor.Groups[1].Value + "ProjectUri   = '" + (& $quote $uri.AbsoluteUri) + "'"
    $text = $text.Insert($anchor.Index + $anchor.Length, $line)
}
# With a byte order mark: Windows PowerShell 5.1 reads a manifest without one in the ANSI code page.
Set-Content -LiteralPath $Destination -Value $text -NoNewline -Encoding utf8BOM
