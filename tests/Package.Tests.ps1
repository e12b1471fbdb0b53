#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a PowerShell Gallery package: publish, install from the package, run.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
}

Describe 'The FoamPS package' -Tag Engine {
    It 'publishes to a folder repository, installs from it, imports, and runs blockMesh on the cavity' {
        $work = Split-Path (New-TestDirectory)
        $repo = Join-Path $work 'repo'; $installed = Join-Path $work 'modules'
        New-Item -ItemType Directory -Path $repo, $installed | Out-Null
        $name = 'FoamPSTest' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
        Register-PSResourceRepository -Name $name -Uri $repo -Trusted
        try {
            Test-ModuleManifest $manifest | Should -Not -BeNullOrEmpty
            Publish-PSResource -Path (Get-TestModulePath) -Repository $name -SkipDependenciesCheck
            Get-ChildItem $repo -Filter 'FoamPS.*.nupkg' | Should -HaveCount 1
            Save-PSResource -Name FoamPS -Repository $name -Path $installed -TrustRepository
            $psd1 = Get-ChildItem $installed -Recurse -Filter FoamPS.psd1 | Select-Object -First 1
            $psd1 | Should -Not -BeNullOrEmpty
            $case = New-CavityCase
            try {
                $out = Invoke-ChildPwsh "Import-Module '$($psd1.FullName)'; (Get-Module FoamPS).ModuleBase; (Invoke-FoamCommand -Path '$case' -Command blockMesh -Image '$(Get-TestImage)').Succeeded"
                $out[0] | Should -Be $psd1.DirectoryName
                $out[1] | Should -Be 'True'
                Join-Path $case 'constant/polyMesh/points' | Should -Exist
            }
            finally { Remove-TestDirectory $case }
        }
        finally {
            Unregister-PSResourceRepository -Name $name
            Remove-Item -LiteralPath $work -Recurse -Force
        }
    }

    It 'carries a release''s -ProjectUri into the package, and invents none without one' -Tag Unit {
        # No public repository address exists yet: the staged manifest has none.
        (Test-ModuleManifest $manifest).ProjectUri | Should -BeNullOrEmpty
        $work = Split-Path (New-TestDirectory)
        $module = Join-Path $work 'FoamPS'; $repo = Join-Path $work 'repo'
        Copy-Item -Recurse (Get-TestModulePath) $module
        New-Item -ItemType Directory -Path $repo | Out-Null
        $name = 'FoamPSUri' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
        $writer = Join-Path $PSScriptRoot '../tools/Write-StagedManifest.ps1'
        $source = Join-Path $PSScriptRoot '../FoamPS.psd1'; $changelog = Join-Path $PSScriptRoot '../CHANGELOG.md'
        Register-PSResourceRepository -Name $name -Uri $repo -Trusted
        try {
            { & $writer -Manifest $source -Changelog $changelog -Destination (Join-Path $module 'FoamPS.psd1') -ProjectUri 'not a uri' } |
                Should -Throw '*absolute http(s) address*'
            & $writer -Manifest $source -Changelog $changelog -Destination (Join-Path $module 'FoamPS.psd1') -ProjectUri 'https://example.org/foamps'
            $info = Test-ModuleManifest (Join-Path $module 'FoamPS.psd1')
            $info.ProjectUri.AbsoluteUri | Should -Be 'https://example.org/foamps'
            $info.ReleaseNotes | Should -Match '## \['
            # Release notes with typographic quotes (they end a single-quoted string too) still make a valid manifest.
            $quoted = Join-Path $work 'CHANGELOG.md'
            Set-Content -LiteralPath $quoted -Encoding utf8 -Value "# Changelog`n`n## [0.2.0]`n- Don$([char]0x2019)t lose 'quotes' $([char]0x2018)here$([char]0x2019).`n"
            $other = Join-Path $module 'quoted.psd1'
            & $writer -Manifest $source -Changelog $quoted -Destination $other
            (Test-ModuleManifest $other).ReleaseNotes | Should -Be "## [0.2.0]`n- Don$([char]0x2019)t lose 'quotes' $([char]0x2018)here$([char]0x2019)."
            { & $writer -Manifest $other -Changelog $changelog -Destination (Join-Path $work 'x.psd1') -ProjectUri 'https://example.org/x' } |
                Should -Throw '*no line*ReleaseNotes*'
            Remove-Item -LiteralPath $other
            { & $writer -Manifest $source -Changelog $changelog -Destination (Join-Path $work 'x.psd1') -ProjectUri 'https://me:secret@example.org/x' } |
                Should -Throw '*user name or password*'
            $hasUri = Join-Path $work 'has-uri.psd1'
            (Get-Content -Raw $source) -replace '(?m)^(\s*)(LicenseUri.*)$', "`$1`$2`n`$1ProjectUri = 'https://example.org/old'" | Set-Content -LiteralPath $hasUri
            { & $writer -Manifest $hasUri -Changelog $changelog -Destination (Join-Path $work 'x.psd1') -ProjectUri 'https://example.org/new' } |
                Should -Throw '*already has a ProjectUri*'
            Publish-PSResource -Path $module -Repository $name -SkipDependenciesCheck
            $nupkg = Get-ChildItem $repo -Filter 'FoamPS.*.nupkg' | Select-Object -First 1
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            $zip = [System.IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
            try {
                $entry = $zip.Entries | Where-Object Name -EQ 'FoamPS.nuspec'
                $reader = [System.IO.StreamReader]::new($entry.Open())
                try { [xml] $nuspec = $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            finally { $zip.Dispose() }
            $nuspec.package.metadata.projectUrl | Should -Be 'https://example.org/foamps'
            $nuspec.package.metadata.releaseNotes | Should -Match '## \['
        }
        finally {
            Unregister-PSResourceRepository -Name $name
            Remove-Item -LiteralPath $work -Recurse -Force
        }
    }
}
