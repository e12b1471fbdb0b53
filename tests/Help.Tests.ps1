#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every exported cmdlet has full help, from docs/en-US through the build's MAML.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $module = Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force -PassThru
    $commands = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help of <Name>' -Tag Unit -ForEach $commands {
    BeforeAll { $script:help = Get-Help $Name -Full }

    It 'has a synopsis and a description of its own' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML, PowerShell shows the syntax as the synopsis.
        $help.Synopsis | Should -Not -Match "^\s*$Name\s+\["
        ($help.Description.Text -join ' ').Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter' {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }
        foreach ($p in $parameters) {
            $entry = $help.parameters.parameter | Where-Object Name -EQ $p
            $entry | Should -Not -BeNullOrEmpty -Because "-$p needs help"
            ($entry.Description.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
            "$($entry.defaultValue)".Trim() | Should -Not -BeNullOrEmpty -Because "-$p shows its default value (or None)"
        }
        # Defaults come from the compiled cmdlet, so they cannot drift from the code.
        $fresh = [Activator]::CreateInstance((Get-Command $Name).ImplementingType)
        foreach ($entry in $help.parameters.parameter | Where-Object { $_.Name -in $parameters }) {
            $value = $fresh.($entry.Name)
            if ($value -is [enum] -or $value -is [int]) { "$($entry.defaultValue)" | Should -Be "$value" -Because "-$($entry.Name)'s default" }
        }
    }

    It 'has at least two examples, inputs and outputs' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($e in $help.Examples.Example) { $e.Code | Should -Match $Name }
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.returnValues | Should -Not -BeNullOrEmpty
    }

    It 'links to related commands that exist, and to about_FoamPS' {
        $links = @($help.relatedLinks.navigationLink.linkText | ForEach-Object { "$_".Trim() } | Where-Object { $_ })
        $links | Should -Contain 'about_FoamPS'
        @($links | Where-Object { $_ -ne 'about_FoamPS' }).Count | Should -BeGreaterOrEqual 1
        foreach ($link in $links | Where-Object { $_ -ne 'about_FoamPS' }) {
            $link | Should -Not -Be $Name -Because 'a command does not link to itself'
            Get-Command $link -Module FoamPS -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "'$link' must be a FoamPS command"
        }
    }
}

Describe 'about_FoamPS' -Tag Unit {
    It 'is found by Get-Help' {
        $text = Get-Help about_FoamPS | Out-String
        $text | Should -Match 'FoamCommandFailedException'
        $text | Should -Match 'DOCKER_HOST'
    }

    It 'names every ErrorId FoamPS has' {
        $text = Get-Help about_FoamPS | Out-String
        $ids = [FoamPS.ErrorIds].GetFields() | Where-Object { $_.IsLiteral } | ForEach-Object { $_.GetValue($null) }
        $ids.Count | Should -BeGreaterThan 40
        $ids | Where-Object { $text -notmatch "\b$_\b" } | Should -BeNullOrEmpty
    }
}
