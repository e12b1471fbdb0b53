#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Update-FoamImage and -Pull against real registries: Debian's docker-registry on 127.0.0.1,
# one open and one with htpasswd authentication.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
    Import-Module $manifest -Force
    $script:user = 'foamps'
    $script:password = 'pw-' + [Guid]::NewGuid().ToString('N')
    $script:open = Start-TestRegistry
    $script:secured = Start-TestRegistry -User $user -Password $password
    $script:tag = 'foamps-test/small:' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
    New-SmallTestImage -Tag $tag
    $script:small = "$($open.Address)/foamps/small:1"
    $script:smallAuth = "$($secured.Address)/foamps/small:1"
    Push-TestImage $tag $small
    Push-TestImage $tag $smallAuth -User $user -Password $password
    $script:openfoam = "$($open.Address)/foamps/openfoam:debian"
    Push-TestImage (Get-TestImage) $openfoam
    Remove-LocalImage $tag, $small, $smallAuth, $openfoam

    # Runs a script in a new runspace and returns it with every stream it wrote.
    function script:Invoke-Captured([string] $Script) {
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript("Import-Module '$manifest'; `$VerbosePreference = 'Continue'; `$DebugPreference = 'Continue'; $Script")
        $output = try { $ps.Invoke() } catch { $_ }
        [pscustomobject]@{ PowerShell = $ps; Output = $output; Streams = $ps.Streams }
    }
}

AfterAll {
    Remove-LocalImage $small, $smallAuth, $openfoam
    Stop-TestRegistry $open
    Stop-TestRegistry $secured
}

Describe 'Update-FoamImage pulls from a registry' -Tag Engine {
    BeforeAll {
        $script:run = Invoke-Captured "Update-FoamImage -Image '$small'"
        $script:image = $run.Output | Select-Object -First 1
        $script:inspect = docker image inspect $small | ConvertFrom-Json
    }

    It 'the image exists afterwards and the FoamImage has its Id and Digest' {
        $inspect | Should -Not -BeNullOrEmpty
        $run.Streams.Error | Should -BeNullOrEmpty
        $image | Should -BeOfType ([FoamPS.FoamImage])
        $image.Reference | Should -Be $small
        $image.Id | Should -Be $inspect.Id
        $image.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
        $inspect.RepoDigests | Should -Contain "$($open.Address)/foamps/small@$($image.Digest)"
        $image.Tags | Should -Contain $small
        $image.SizeBytes | Should -Be $inspect.Size
        $image.OpenFoamVersion | Should -Be 'v1912'
    }

    It 'wrote one progress activity per layer under an overall one, and completed every activity' {
        $records = $run.Streams.Progress
        $overall = $records | Where-Object ParentActivityId -EQ -1 | Select-Object -ExpandProperty ActivityId -Unique
        $overall | Should -HaveCount 1
        $layers = $records | Where-Object ParentActivityId -EQ $overall | Select-Object -ExpandProperty ActivityId -Unique
        $layers.Count | Should -Be $inspect.RootFS.Layers.Count
        ($records | Where-Object { $_.StatusDescription -like 'Downloading*' }).Count | Should -BeGreaterThan 0
        foreach ($id in @($overall) + $layers) {
            ($records | Where-Object { $_.ActivityId -eq $id } | Select-Object -Last 1).RecordType | Should -Be 'Completed'
        }
    }

    It 'writes the engine''s status messages as verbose lines' {
        $verbose = $run.Streams.Verbose.Message
        $verbose | Where-Object { $_ -like '*: Pulling fs layer' } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_ -like 'Digest: sha256:*' } | Should -Not -BeNullOrEmpty
        (Invoke-Captured "Update-FoamImage -Image '$small'").Streams.Verbose.Message | Where-Object { $_ -like '*Image is up to date*' } | Should -Not -BeNullOrEmpty
    }

    It 'takes references from the pipeline, as strings and as objects with an Image property' {
        $images = [pscustomobject]@{ Image = $small }, $small | Update-FoamImage
        $images | Should -HaveCount 2
        $images.Id | Sort-Object -Unique | Should -Be $inspect.Id
    }

    It 'then Invoke-FoamCommand runs blockMesh on the cavity with a pulled OpenFOAM image' {
        $pulled = Update-FoamImage -Image $openfoam
        $pulled.Reference | Should -Be $openfoam
        $case = New-CavityCase
        try {
            $r = Invoke-FoamCommand -Path $case -Command blockMesh -Image $openfoam -Pull Never
            $r.Succeeded | Should -BeTrue
            $r.Image | Should -Be $openfoam
            Join-Path $case 'constant/polyMesh/points' | Should -Exist
        }
        finally { Remove-TestDirectory $case }
    }
}

Describe 'Invoke-FoamCommand -Pull' -Tag Engine {
    BeforeAll { $script:case = New-TestDirectory }
    AfterAll { Remove-TestDirectory $case }

    It '-Pull Never with an absent image: ImageNotFound, and no container' {
        Remove-LocalImage $openfoam
        $err = { Invoke-FoamCommand -Path $case -Command 'echo hi' -Image $openfoam -Pull Never } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'ImageNotFound,FoamPS.Commands.InvokeFoamCommandCommand'
        Get-FoamTestContainer | Should -BeNullOrEmpty
        docker image inspect $openfoam *> $null; $LASTEXITCODE | Should -Not -Be 0
        Get-ChildItem -LiteralPath $case | Should -BeNullOrEmpty
    }

    It '-Pull Missing (the default) pulls an absent image, with progress, and runs' {
        Remove-LocalImage $openfoam
        $run = Invoke-Captured "Invoke-FoamCommand -Path '$case' -Command 'echo pulled-and-ran' -Image '$openfoam'"
        $run.Streams.Error | Should -BeNullOrEmpty
        $run.Output[0].Succeeded | Should -BeTrue
        Get-Content -LiteralPath (Join-Path $case 'log.echo') | Should -Be 'pulled-and-ran'
        $run.Streams.Progress | Where-Object Activity -EQ "Pulling $openfoam" | Should -Not -BeNullOrEmpty
        docker image inspect $openfoam *> $null; $LASTEXITCODE | Should -Be 0
    }
}

Describe 'Update-FoamImage with an authenticated registry' -Tag Engine {
    AfterEach { Remove-LocalImage $smallAuth }

    It 'pulls with the right -Credential' {
        $credential = [pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force))
        $image = Update-FoamImage -Image $smallAuth -Credential $credential
        $image.Reference | Should -Be $smallAuth
        docker image inspect $smallAuth *> $null; $LASTEXITCODE | Should -Be 0
    }

    It 'a wrong password: RegistryAuthenticationFailed (PermissionDenied)' {
        $credential = [pscredential]::new($user, (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force))
        Update-FoamImage -Image $smallAuth -Credential $credential -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'RegistryAuthenticationFailed,FoamPS.Commands.UpdateFoamImageCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'uses the credentials the docker CLI stored in config.json, and never shows the password anywhere' {
        $config = New-TestDirectory 'docker-config'
        $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${user}:$password"))
        @{ auths = @{ $secured.Address = @{ auth = $auth } } } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $config 'config.json')
        $saved = $env:DOCKER_CONFIG
        try {
            $env:DOCKER_CONFIG = $config
            $run = Invoke-Captured "Update-FoamImage -Image '$smallAuth' -Debug; Update-FoamImage -Image '$smallAuth' -Credential ([pscredential]::new('$user', (ConvertTo-SecureString 'wrong-$password-x' -AsPlainText -Force)))"
            $run.Output[0].Reference | Should -Be $smallAuth
            $run.Streams.Error | Should -HaveCount 1
            $text = @(
                $run.Output | ForEach-Object { $_ | Format-List * | Out-String }
                $run.Streams.Error | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.TargetObject | Out-String }
                $run.Streams.Warning.Message; $run.Streams.Verbose.Message; $run.Streams.Debug.Message
                $run.Streams.Information | ForEach-Object { $_.MessageData | Out-String }
                $run.Streams.Progress | ForEach-Object { $_.Activity; $_.StatusDescription; $_.CurrentOperation }
            ) -join "`n"
            $text | Should -Not -BeNullOrEmpty
            $text.Contains($password) | Should -BeFalse
            $text.Contains($auth) | Should -BeFalse
        }
        finally { $env:DOCKER_CONFIG = $saved; Remove-TestDirectory $config }
    }
}

Describe 'Update-FoamImage rejects what cannot work' -Tag Engine {
    It 'an unknown tag: ImageNotFound' {
        Update-FoamImage -Image "$($open.Address)/foamps/small:no-such-tag" -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,FoamPS.Commands.UpdateFoamImageCommand'
        $errs[0].Exception | Should -BeOfType ([FoamPS.FoamImageNotFoundException])
    }

    It 'a registry port nobody listens on: RegistryUnreachable within a few seconds' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Update-FoamImage -Image "127.0.0.1:$(Get-FreePort)/foamps/small:1" -ErrorVariable errs -ErrorAction SilentlyContinue
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
        $errs[0].FullyQualifiedErrorId | Should -Be 'RegistryUnreachable,FoamPS.Commands.UpdateFoamImageCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'a malformed reference: InvalidImageReference, before any request' {
        Update-FoamImage -Image 'Bad Ref!!' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidImageReference,FoamPS.Commands.UpdateFoamImageCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It '-WhatIf pulls nothing' {
        Remove-LocalImage $small
        Update-FoamImage -Image $small -WhatIf | Should -BeNullOrEmpty
        docker image inspect $small *> $null; $LASTEXITCODE | Should -Not -Be 0
    }

    It 'a stop during a pull returns within 5 s' {
        $big = "$($open.Address)/foamps/big:1"
        $bigTag = 'foamps-test/big:' + [Guid]::NewGuid().ToString('N').Substring(0, 8)
        New-SmallTestImage -Tag $bigTag -Megabytes 400
        Push-TestImage $bigTag $big
        Remove-LocalImage $bigTag, $big
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$manifest'; Update-FoamImage -Image '$big'")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not ($ps.Streams.Progress | Where-Object { $_.StatusDescription -like 'Downloading*' -or $_.StatusDescription -like 'Extracting*' }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $async.IsCompleted | Should -BeFalse
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally { $ps.Dispose(); Remove-LocalImage $big }
    }
}
