#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The staged module: manifest, exports, loading.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
}

Describe 'The FoamPS module' -Tag Unit {
    It 'has a valid manifest for both editions' {
        $info = Test-ModuleManifest -Path $manifest
        $info.Version | Should -Be (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../FoamPS.psd1')).ModuleVersion
        (Import-Module $manifest -Force -PassThru | Out-Null); [FoamPS.FoamRunResult].Assembly.GetName().Version.ToString(3) | Should -Be $info.Version.ToString(3)
        $info.ReleaseNotes | Should -Match '## \['
        $info.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $info.PowerShellVersion | Should -Be '5.1'
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $module = Import-Module $manifest -Force -PassThru
        $listed = (Import-PowerShellDataFile $manifest).CmdletsToExport | Sort-Object
        ($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be $listed
        (Get-Command Invoke-FoamCommand).ImplementingType.FullName | Should -Be 'FoamPS.Commands.InvokeFoamCommandCommand'
    }

    It 'loads the net8.0 build in PowerShell 7 and keeps its dependencies in the private folder' {
        Import-Module $manifest -Force
        $assembly = [FoamPS.FoamRunResult].Assembly
        $assembly.Location | Should -BeLike '*bin*net8.0*FoamPS.dll'
        Join-Path (Get-TestModulePath) 'bin/net8.0/Docker.DotNet.dll' | Should -Not -Exist
        Join-Path (Get-TestModulePath) 'bin/net8.0/deps/Docker.DotNet.dll' | Should -Exist
        Join-Path (Get-TestModulePath) 'bin/netstandard2.0/deps/System.Text.Json.dll' | Should -Exist
        Get-ChildItem -Recurse (Get-TestModulePath) -Filter System.Management.Automation.dll | Should -BeNullOrEmpty
    }

    It 'resolves Docker.DotNet from its private folder when a cmdlet needs it' {
        $out = Invoke-ChildPwsh "Import-Module '$manifest'; try { Invoke-FoamCommand -Path /tmp -Command true -DockerHost tcp://127.0.0.1:1 } catch { `$_.FullyQualifiedErrorId }; [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Docker.DotNet' } | ForEach-Object Location"
        $out | Should -Contain 'EngineUnreachable,FoamPS.Commands.InvokeFoamCommandCommand'
        ($out | Where-Object { $_ -like '*Docker.DotNet.dll' }) | Should -BeLike '*bin*net8.0*deps*Docker.DotNet.dll'
    }

    It 'the netstandard2.0 build (the one Windows PowerShell 5.1 loads) runs a real command too' -Tag Engine {
        $case = New-TestDirectory
        try {
            # How the README says to force it: $env:FOAMPS_FRAMEWORK = 'netstandard2.0' before Import-Module.
            $out = Invoke-ChildPwsh "`$env:FOAMPS_FRAMEWORK = 'netstandard2.0'; Import-Module '$manifest'; `$r = Invoke-FoamCommand -Path '$case' -Command 'echo from-netstandard' -Image '$(Get-TestImage)'; `$r.ExitCode; [FoamPS.FoamRunResult].Assembly.Location"
            $out[0] | Should -Be '0'
            $out[1] | Should -BeLike '*netstandard2.0*FoamPS.dll'
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'from-netstandard'
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $case }
    }

    It 'works after another module loaded System.Text.Json (ConvertTo-Json/ConvertFrom-Json first)' -Tag Engine {
        $case = New-TestDirectory
        try {
            $out = Invoke-ChildPwsh "`$null = @{ a = 1 } | ConvertTo-Json | ConvertFrom-Json; `$null = [System.Text.Json.JsonDocument]::Parse('{}'); Import-Module '$manifest'; (Invoke-FoamCommand -Path '$case' -Command 'echo json' -Image '$(Get-TestImage)').Succeeded; Remove-Module FoamPS; Import-Module '$manifest'; Remove-Module FoamPS; Import-Module '$manifest'; (Invoke-FoamCommand -Path '$case' -Command 'echo again' -Image '$(Get-TestImage)').Succeeded"
            $out | Should -Be @('True', 'True')
            Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'again'
        }
        finally { Remove-TestDirectory $case }
    }

    It 'keeps its own dependencies when another module loaded older ones first (its own load context)' -Tag Engine {
        # Older Microsoft.Extensions.Logging.Abstractions (Docker.DotNet's) and SharpZipLib (-CaseTransfer Copy)
        # loaded into PowerShell first, as another module would: without isolation every cmdlet failed with
        # "Could not load file or assembly 'Microsoft.Extensions.Logging.Abstractions, Version=8.0.0.0'".
        $work = New-TestDirectory
        try {
            $packages = Join-Path $work 'packages'
            Copy-Item (Join-Path $PSScriptRoot 'fixtures/older-deps/OlderDeps.csproj') $work
            dotnet restore (Join-Path $work 'OlderDeps.csproj') --packages $packages --nologo -v quiet | Out-Null
            $LASTEXITCODE | Should -Be 0 -Because 'the older packages must restore to run this test'
            $older = @(
                (Join-Path $packages 'microsoft.extensions.logging.abstractions/6.0.0/lib/net6.0/Microsoft.Extensions.Logging.Abstractions.dll')
                (Join-Path $packages 'sharpziplib/1.2.0/lib/netstandard2.0/ICSharpCode.SharpZipLib.dll'))
            $older | ForEach-Object { $_ | Should -Exist }
            $case = Join-Path $work 'case'
            New-Item -ItemType Directory $case | Out-Null
            Set-Content -LiteralPath (Join-Path $case 'input') -Value 'kept'
            $out = Invoke-ChildPwsh (@(
                "foreach (`$p in '$($older -join "','")') { `$null = [Reflection.Assembly]::LoadFrom(`$p) }"
                "Import-Module '$manifest'"
                "'reachable=' + (Get-FoamEngine).Reachable"
                "`$r = Invoke-FoamCommand -Path '$case' -Command 'cat input > output' -Image '$(Get-TestImage)' -CaseTransfer Copy -ErrorAction Stop"
                "'copy=' + `$r.Succeeded"
                "'theirs=' + ([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { `$_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' }).GetName().Version"
                "'context=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Invoke-FoamCommand).ImplementingType.Assembly).Name"
                "'mela=' + (([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' } | ForEach-Object { `$_.GetName().Version.Major } | Sort-Object) -join ',')"
            ) -join '; ')
            $out | Should -Contain 'reachable=True'
            $out | Should -Contain 'copy=True'
            Get-Content -LiteralPath (Join-Path $case 'output') | Should -Be 'kept'
            # PowerShell's default context still hands out the module's older copy: FoamPS changed nothing for it.
            $out | Should -Contain 'theirs=6.0.0.0'
            ($out | Where-Object { "$_" -like 'context=*' }) | Should -BeLike 'context=FoamPS *net8.0*FoamPS.dll'
            # Both copies live side by side: 6 (the other module's) and FoamPS's own 8.
            $out | Should -Contain 'mela=6,8'
            Get-FoamTestContainer | Should -BeNullOrEmpty
        }
        finally { Remove-TestDirectory $work }
    }

    It 'shares one copy of a release reached by two paths, and refuses a second release with advice' -Tag Unit {
        $work = New-TestDirectory
        try {
            $copy = Join-Path $work 'copy/FoamPS'
            New-Item -ItemType Directory (Split-Path $copy) | Out-Null
            Copy-Item -Recurse (Get-TestModulePath) $copy
            # The same release from another folder: one set of types, so typed catches keep working.
            $out = Invoke-ChildPwsh (@(
                "Import-Module '$manifest'; `$first = [FoamPS.FoamException]"
                "Import-Module '$(Join-Path $copy 'FoamPS.psd1')' -Force"
                "'cmdlets=' + (Get-Command -Module FoamPS -CommandType Cmdlet).Count"
                "'same=' + ((Get-Command Invoke-FoamCommand).ImplementingType.Assembly -eq `$first.Assembly)"
                "try { Get-FoamEngine -DockerHost tcp://127.0.0.1:1 -ErrorAction Stop } catch [FoamPS.FoamException] { 'caught=' + `$_.FullyQualifiedErrorId } catch { 'missed' }"
            ) -join '; ')
            $expected = (Import-PowerShellDataFile $manifest).CmdletsToExport.Count
            $out | Should -Contain "cmdlets=$expected"
            $out | Should -Contain 'same=True'
            $out | Should -Contain 'caught=EngineUnreachable,FoamPS.Commands.GetFoamEngineCommand'

            # Another release (FoamPS.dll 9.9.9) while this one is imported: a clear error, then it imports after Remove-Module.
            $other = Join-Path $work 'other/FoamPS'
            New-Item -ItemType Directory (Split-Path $other) | Out-Null
            Copy-Item -Recurse (Get-TestModulePath) $other
            $src = Join-Path $work 'src'
            Copy-Item -Recurse (Join-Path $PSScriptRoot '../src/FoamPS') $src
            Remove-Item -Recurse -Force (Join-Path $src 'bin'), (Join-Path $src 'obj') -ErrorAction SilentlyContinue
            dotnet build (Join-Path $src 'FoamPS.csproj') -c Release -f net8.0 -p:Version=9.9.9 --nologo -v quiet -clp:ErrorsOnly | Out-Null
            $LASTEXITCODE | Should -Be 0
            Copy-Item (Join-Path $src 'bin/Release/net8.0/FoamPS.dll') (Join-Path $other 'bin/net8.0/FoamPS.dll') -Force
            $out = Invoke-ChildPwsh (@(
                "Import-Module '$manifest'"
                "try { Import-Module '$(Join-Path $other 'FoamPS.psd1')' -Force -ErrorAction Stop; 'imported' } catch { 'refused=' + `$_.Exception.Message }"
                "'still=' + (Get-Command Invoke-FoamCommand).ImplementingType.Assembly.GetName().Version"
                "Remove-Module FoamPS; Import-Module '$(Join-Path $other 'FoamPS.psd1')'"
                "'now=' + (Get-Command Invoke-FoamCommand).ImplementingType.Assembly.GetName().Version + ' ' + (Get-Command -Module FoamPS -CommandType Cmdlet).Count"
            ) -join '; ')
            ($out | Where-Object { "$_" -like 'refused=*' }) | Should -BeLike "refused=FoamPS * is already imported in this session*Remove-Module FoamPS*"
            $version = (Import-PowerShellDataFile $manifest).ModuleVersion
            $out | Should -Contain "still=$version.0"
            $out | Should -Contain "now=9.9.9.0 $expected"
        }
        finally { Remove-TestDirectory $work }
    }

    It 'does not remember a failed load: once FoamPS.dll is back, importing works' -Tag Unit {
        $work = New-TestDirectory
        try {
            $copy = Join-Path $work 'FoamPS'
            Copy-Item -Recurse (Get-TestModulePath) $copy
            $dll = Join-Path $copy 'bin/net8.0/FoamPS.dll'
            $out = Invoke-ChildPwsh (@(
                "Move-Item '$dll' '$dll.away'"
                "try { Import-Module '$(Join-Path $copy 'FoamPS.psd1')' -ErrorAction Stop; 'imported' } catch { 'failed=' + `$_.Exception.Message }"
                "Move-Item '$dll.away' '$dll'"
                "Import-Module '$(Join-Path $copy 'FoamPS.psd1')' -ErrorAction Stop; 'cmdlets=' + (Get-Command -Module FoamPS -CommandType Cmdlet).Count"
            ) -join '; ')
            ($out | Where-Object { "$_" -like 'failed=*' }) | Should -BeLike '*FoamPS.dll*'
            ($out | Where-Object { "$_" -like 'failed=*' }) | Should -Not -BeLike '*LoadModule*'
            $out | Should -Contain "cmdlets=$((Import-PowerShellDataFile $manifest).CmdletsToExport.Count)"
        }
        finally { Remove-TestDirectory $work }
    }

    It 'can be removed and imported again in one session' {
        $out = Invoke-ChildPwsh "Import-Module '$manifest'; Remove-Module FoamPS; Import-Module '$manifest'; (Get-Command Invoke-FoamCommand).Name"
        $out | Should -Be 'Invoke-FoamCommand'
    }

    It 'has a table view for every FoamPS type a cmdlet outputs, and every table fits 120 columns' {
        $module = Import-Module $manifest -Force -PassThru
        [xml] $format = Get-Content -Raw (Join-Path (Get-TestModulePath) 'FoamPS.format.ps1xml')
        $tables = @{}
        foreach ($view in $format.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl }) {
            $tables[$view.ViewSelectedBy.TypeName] = $view.TableControl
        }
        $outputs = $module.ExportedCmdlets.Values | ForEach-Object { $_.OutputType.Type } |
            Where-Object { $_ -and $_.Namespace -eq 'FoamPS' } | Sort-Object FullName -Unique
        $outputs | Should -Not -BeNullOrEmpty
        foreach ($type in $outputs) {
            $tables.Keys | Should -Contain $type.FullName -Because "$($type.Name) is output by a cmdlet and needs a table view"
        }
        foreach ($name in $tables.Keys) {
            $headers = @($tables[$name].TableHeaders.TableColumnHeader)
            $fixed = @($headers | Where-Object { $_.Width })
            $widths = ($fixed | ForEach-Object { [int] $_.Width } | Measure-Object -Sum).Sum
            # Columns are one space apart; a column without a width takes what is left, at least 8.
            $total = $widths + ($headers.Count - 1) + 8 * ($headers.Count - $fixed.Count)
            $total | Should -BeLessOrEqual 120 -Because "the $name table must fit 120 columns"
            @($tables[$name].TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem).Count | Should -Be $headers.Count -Because "$name has a value for each column"
        }
    }

    It 'formats FoamRunResult as a table by default' {
        Import-Module $manifest -Force
        $r = [FoamPS.FoamRunResult]@{ Case = '/cases/cavity'; Application = 'icoFoam'; ExitCode = 0; Succeeded = $true; Duration = [TimeSpan]::FromSeconds(1.5); LogPath = '/cases/cavity/log.icoFoam' }
        $text = $r | Format-Table | Out-String -Width 120
        $text | Should -Match 'Case\s+Application\s+ExitCode\s+Succeeded\s+Duration\s+Log'
        $text | Should -Match 'cavity\s+icoFoam\s+0\s+True\s+00:00:01\.50\s+log\.icoFoam'
    }
}
