#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Reliability: output that is hard to stream, and what a run's container may and may not do.
# (More of issue 9's suite — engine death, random stops, full disks — is still to come.)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
    Import-Module $manifest -Force
    $script:image = Get-TestImage
}

Describe 'Output that is hard to stream' -Tag Engine, Reliability {
    BeforeAll { $script:case = New-TestDirectory }
    AfterAll { Remove-TestDirectory $case }

    It 'keeps the log byte-exact: <Name>' -ForEach @(
        @{ Name = 'one 50 MB line without a newline'; Command = 'head -c 52428800 /dev/zero | tr "\0" x' }
        @{ Name = 'invalid UTF-8 bytes'; Command = 'for i in $(seq 1 2000); do printf "ok \377\376 \300\200 \355\240\200 end\n"; done' }
        # About 10 MB of lines whose lengths vary, so the engine's 32 KiB frames cut characters in every way.
        @{ Name = 'multi-byte characters at every offset'; Command = 's=; for i in $(seq 1 200000); do s="${s}a"; [ ${#s} -gt 37 ] && s=a; printf "%s✓€😀\n" "$s"; done' }
        @{ Name = 'stdout and stderr interleaved at a high rate'; Command = 'for i in $(seq 1 20000); do echo "out $i"; echo "err $i" >&2; done' }
        @{ Name = 'carriage-return progress lines'; Command = 'for i in $(seq 1 20000); do printf "\rprogress %d%%" $((i % 101)); done; printf "\ndone\n"' }
    ) {
        # The container writes its output and, separately, the checksum of what it wrote.
        $script = "{ $Command; } > /tmp/expected 2>&1; sha256sum /tmp/expected | cut -d' ' -f1 > /tmp/sum; cat /tmp/expected; cp /tmp/sum expected.sha256"
        $r = Invoke-FoamCommand -Path $case -Command $script -LogPath (Join-Path $case 'out.log') -Image $image
        $r.Succeeded | Should -BeTrue
        (Get-FileHash -LiteralPath (Join-Path $case 'out.log') -Algorithm SHA256).Hash.ToLowerInvariant() |
            Should -Be (Get-Content -LiteralPath (Join-Path $case 'expected.sha256')).Trim()
        $r.OutputBytes | Should -Be (Get-Item -LiteralPath (Join-Path $case 'out.log')).Length
        Get-FoamTestContainer | Should -BeNullOrEmpty
    }

    It 'shows a 50 MB line with -Verbose in bounded pieces, without holding it whole' {
        $verbose = Invoke-FoamCommand -Path $case -Command 'head -c 52428800 /dev/zero | tr "\0" y; echo; echo tail-line' -NoLog -Image $image -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $pieces = @($verbose | Where-Object { $_ -match '^y+$' })
        ($pieces | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 65536
        ($pieces | Measure-Object -Property Length -Sum).Sum | Should -Be 52428800
        $verbose | Should -Contain 'tail-line'
    }
}

Describe 'What a run''s container may do' -Tag Engine, Reliability {
    It 'is not privileged, gets no extra capabilities, mounts only the case and never the engine socket' {
        $case = New-TestDirectory
        $c = Invoke-FoamCommand -Path $case -Command 'sleep 30' -Image $image -Detach -NoLog
        try {
            $inspect = docker inspect $c.Id | ConvertFrom-Json
            $inspect.HostConfig.Privileged | Should -BeFalse
            $inspect.HostConfig.CapAdd | Should -BeNullOrEmpty
            $inspect.HostConfig.SecurityOpt | Should -BeNullOrEmpty
            $inspect.HostConfig.PidMode | Should -BeNullOrEmpty
            $inspect.HostConfig.NetworkMode | Should -Be 'none'
            $inspect.Mounts | Should -HaveCount 1
            $inspect.Mounts[0].Source | Should -Be $case
            $inspect.Mounts[0].Destination | Should -Be '/home/openfoam/project'
            ($inspect.Mounts.Source + $inspect.HostConfig.Binds) -join ' ' | Should -Not -Match 'docker\.sock'
            $inspect.Config.User | Should -Be (Get-HostUser)
        }
        finally { $c | Remove-FoamContainer -Force; Remove-TestDirectory $case }
    }
}
