#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery { $layouts = @(@{ Layout = 'Debian' }, @{ Layout = 'OpenCfd' }) }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
    $script:cavity = 'incompressible/icoFoam/cavity/cavity'
}

Describe 'Copy-FoamTutorial from the <Layout> layout' -Tag Engine -ForEach $layouts {
    BeforeAll {
        $script:image = Get-TestImage $Layout
        $script:parent = Split-Path (New-TestDirectory)
        $script:copy = Copy-FoamTutorial -Name $cavity -Destination (Join-Path $parent 'cavity') -Image $image
    }
    AfterAll { Remove-Item -LiteralPath $parent -Recurse -Force -ErrorAction SilentlyContinue }

    It 'copies the case through the engine, owned by the caller, and the copy runs' {
        $copy | Should -BeOfType ([IO.DirectoryInfo])
        # As Get-Item returns it: with the provider's properties, so it displays like any directory.
        $copy.PSProvider.Name | Should -Be 'FileSystem'
        $copy.PSPath | Should -Be (Get-Item -LiteralPath $copy.FullName).PSPath
        $copy.FullName | Should -Be (Join-Path $parent 'cavity')
        foreach ($f in 'system/controlDict', 'system/blockMeshDict', 'constant/transportProperties', '0/U', '0/p') {
            Join-Path $copy.FullName $f | Should -Exist
        }
        $inImage = docker run --rm --entrypoint /bin/cat $image /usr/share/doc/openfoam-examples/examples/$cavity/system/controlDict
        Get-Content -LiteralPath (Join-Path $copy.FullName 'system/controlDict') | Should -Be $inImage
        stat -c '%u' (Join-Path $copy.FullName '0/U') | Should -Be (id -u)
        (Invoke-FoamCommand -Path $copy.FullName -Command blockMesh -Image $image).Succeeded | Should -BeTrue
        (Invoke-FoamCommand -Path $copy.FullName -Command icoFoam -Image $image).Succeeded | Should -BeTrue
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }

    It 'refuses to overwrite without -Force (DestinationExists) and changes nothing' {
        $before = Get-TreeFingerprint $copy.FullName
        Copy-FoamTutorial -Name $cavity -Destination $copy.FullName -Image $image -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'DestinationExists,FoamPS.Commands.CopyFoamTutorialCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-TreeFingerprint $copy.FullName | Should -Be $before
    }

    It '-Force replaces it with a fresh copy' {
        $fresh = Copy-FoamTutorial -Name $cavity -Destination $copy.FullName -Image $image -Force
        Join-Path $fresh.FullName '0.5' | Should -Not -Exist
        Join-Path $fresh.FullName 'system/controlDict' | Should -Exist
        Get-ChildItem -LiteralPath $parent | Where-Object Name -Like '*.foamps-*' | Should -BeNullOrEmpty
    }

    It 'an unknown tutorial: TutorialNotFound (ObjectNotFound), nothing written' {
        $target = Join-Path $parent 'nothing'
        $err = { Copy-FoamTutorial -Name 'incompressible/noSuchSolver/noSuchCase' -Destination $target -Image $image } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'TutorialNotFound,FoamPS.Commands.CopyFoamTutorialCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $target | Should -Not -Exist
        Get-ChildItem -LiteralPath $parent | Where-Object Name -Like '*.foamps-*' | Should -BeNullOrEmpty
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }
}

Describe 'Copy-FoamTutorial -Name completion' -Tag Engine {
    It 'completes tutorial names from the image, quietly and without a long wait' {
        $image = Get-TestImage OpenCfd
        $line = "Copy-FoamTutorial -Image '$image' -Name incompressible/icoFoam/cav"
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $first = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        $found = $first.CompletionMatches.CompletionText
        while (-not $found -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 500
            $found = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText
        }
        $found | Should -Contain 'incompressible/icoFoam/cavity/cavity'
        $found | Should -Contain 'incompressible/icoFoam/cavity/cavityGrade'
        $found | Where-Object { $_ -notlike 'incompressible/icoFoam/cav*' } | Should -BeNullOrEmpty
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }

    It 'offers nothing, and does not throw, when the engine cannot be reached' {
        $line = "Copy-FoamTutorial -DockerHost tcp://127.0.0.1:1 -Name incompressible/ico"
        $result = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)
        $result.CompletionMatches | Should -BeNullOrEmpty
    }
}
