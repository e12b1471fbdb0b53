#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-, Get-, Remove-FoamNetwork and -Network, against the real engine.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:image = Get-TestImage
    $script:prefix = 'foamps-test-' + [Guid]::NewGuid().ToString('N').Substring(0, 6)
    function script:Test-DockerNetwork([string] $Name) { docker network inspect $Name 2>$null | Out-Null; $LASTEXITCODE -eq 0 }
}

AfterAll {
    docker network ls --filter "name=$prefix" -q | ForEach-Object { docker network rm $_ 2>$null | Out-Null }
}

Describe 'Containers on a FoamPS network reach each other by name' -Tag Engine {
    BeforeAll {
        $script:net = New-FoamNetwork -Name "$prefix-a"
        $script:case = New-CavityCase
        $script:session = New-FoamSession $case -Network $net.Name -Image $image
        $script:run = Invoke-FoamCommand -Path $case -Command getent -ArgumentList hosts, $session.Name -Network $net.Name -Image $image -LogPath (Join-Path $case 'log.getent')
        $script:sessionIp = docker inspect $session.Id --format "{{(index .NetworkSettings.Networks `"$($net.Name)`").IPAddress}}"
    }
    AfterAll {
        if ($session) { Remove-FoamSession $session -Confirm:$false -ErrorAction SilentlyContinue }
        Remove-TestDirectory $case
    }

    It 'makes a labelled bridge network' {
        $net | Should -BeOfType ([FoamPS.FoamNetwork])
        docker network inspect $net.Name --format '{{.Driver}} {{index .Labels "foamps.network"}}' | Should -Be 'bridge true'
        $net.Subnets.Count | Should -BeGreaterThan 0
    }

    It 'a run on the network resolves the session container by its name' {
        $run.Succeeded | Should -BeTrue
        $sessionIp | Should -Not -BeNullOrEmpty
        (Get-Content (Join-Path $case 'log.getent')) -split '\s+' | Should -Be @($sessionIp, $session.Name)
    }

    It 'Get-FoamNetwork lists it with its containers' {
        $listed = Get-FoamNetwork "$prefix-*"
        $listed.Name | Should -Contain $net.Name
        ($listed | Where-Object Name -EQ $net.Name).Containers | Should -Be @($session.Name)
    }

    It 'Tab completes FoamPS networks after -Network and -Name' {
        foreach ($line in "Invoke-FoamCommand -Network $prefix-", "Remove-FoamNetwork -Name $prefix-") {
            $completion = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
            $completion.CompletionMatches.CompletionText | Should -Contain $net.Name
        }
    }

    It 'a run without -Network cannot resolve it' {
        $err = $null
        try { Invoke-FoamCommand -Path $case -Command getent -ArgumentList hosts, $session.Name -Image $image -LogPath (Join-Path $case 'log.getent2') -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'CommandFailed,*'
    }

    It 'Remove-FoamNetwork -WhatIf removes nothing' {
        Remove-FoamNetwork $net.Name -WhatIf
        Test-DockerNetwork $net.Name | Should -BeTrue
        (docker inspect $session.Id --format '{{len .NetworkSettings.Networks}}') | Should -Be '1'
    }

    It 'refuses to remove it while the session uses it: NetworkInUse' {
        $err = $null
        try { Remove-FoamNetwork $net.Name -Confirm:$false -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'NetworkInUse,FoamPS.Commands.RemoveFoamNetworkCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        Test-DockerNetwork $net.Name | Should -BeTrue
    }

    It '-Force disconnects the session (which keeps running) and removes it' {
        Get-FoamNetwork $net.Name | Remove-FoamNetwork -Force -Confirm:$false
        Test-DockerNetwork $net.Name | Should -BeFalse
        docker inspect $session.Id --format '{{.State.Running}}' | Should -Be 'true'
    }
}

Describe 'Network errors' -Tag Engine {
    It 'a name that exists is NetworkExists' {
        $n = New-FoamNetwork -Name "$prefix-dup"
        $err = $null
        try { New-FoamNetwork -Name $n.Name -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'NetworkExists,FoamPS.Commands.NewFoamNetworkCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        Remove-FoamNetwork $n -Confirm:$false
        Test-DockerNetwork $n.Name | Should -BeFalse
    }

    It 'an unusable name is InvalidNetworkName, and nothing is made' -ForEach @(@{ N = 'bad name' }, @{ N = 'bridge' }, @{ N = '-leading' }) {
        $err = $null
        try { New-FoamNetwork -Name $N -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'InvalidNetworkName,FoamPS.Commands.NewFoamNetworkCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'New-FoamNetwork -WhatIf makes nothing' {
        New-FoamNetwork -Name "$prefix-whatif" -WhatIf
        Test-DockerNetwork "$prefix-whatif" | Should -BeFalse
    }

    It 'a network FoamPS did not make is left alone: NetworkNotFound' {
        $err = $null
        try { Remove-FoamNetwork bridge -Confirm:$false -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'NetworkNotFound,FoamPS.Commands.RemoveFoamNetworkCommand'
        Test-DockerNetwork bridge | Should -BeTrue
    }

    It 'Get-FoamNetwork of an exact name that is not there is NetworkNotFound' {
        $err = $null
        try { Get-FoamNetwork "$prefix-none" -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'NetworkNotFound,FoamPS.Commands.GetFoamNetworkCommand'
        Get-FoamNetwork "$prefix-none*" | Should -BeNullOrEmpty
    }

    It 'a run on a network that does not exist is NetworkNotFound, and nothing is created' {
        $case = New-CavityCase
        try {
            $before = Get-FoamTestContainer
            $err = $null
            try { Invoke-FoamCommand -Path $case -Command blockMesh -Image $image -Network "$prefix-none" -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'NetworkNotFound,FoamPS.Commands.InvokeFoamCommandCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-FoamTestContainer | Should -Be $before
            Join-Path $case 'log.blockMesh' | Should -Not -Exist
        }
        finally { Remove-TestDirectory $case }
    }
}
