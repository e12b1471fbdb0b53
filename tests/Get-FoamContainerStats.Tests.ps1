#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-FoamContainerStats against real running containers; the arithmetic against recorded samples is in xUnit (StatsMathTests).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-TestModulePath) 'FoamPS.psd1') -Force
}

Describe 'Get-FoamContainerStats follows a detached solver into Export-Csv' -Tag Engine {
    BeforeAll {
        $script:case = New-RefinedCavityCase
        $image = Get-TestImage
        (Invoke-FoamCommand -Path $case -Command blockMesh -Image $image).Succeeded | Should -BeTrue
        $script:csv = Join-Path (Split-Path $case) 'stats.csv'
        $script:clock = [Diagnostics.Stopwatch]::StartNew()
        $script:container = Invoke-FoamCommand -Path $case -Command icoFoam -Image $image -Detach
        # The pipeline must end by itself when the solver exits.
        $container | Get-FoamContainerStats -Follow | Export-Csv -LiteralPath $csv -NoTypeInformation
        $clock.Stop()
        $script:rows = Import-Csv -LiteralPath $csv
        $script:final = Get-FoamContainer -Id $container.Id
    }
    AfterAll {
        if ($container) { Remove-FoamContainer -Id $container.Id -Force -ErrorAction SilentlyContinue }
        Remove-TestDirectory $case
    }

    It 'ends by itself when the container exits, with the solver done' {
        $final.State | Should -Be 'exited'
        $final.ExitCode | Should -Be 0
        (Get-Content -LiteralPath (Join-Path $case 'log.icoFoam') | Where-Object { $_.Trim() } | Select-Object -Last 1).Trim() | Should -Be 'End'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 10
    }

    It 'writes at least 5 rows with the documented columns' {
        $rows.Count | Should -BeGreaterOrEqual 5
        $columns = $rows[0].PSObject.Properties.Name
        foreach ($name in 'Timestamp', 'ContainerId', 'Name', 'Case', 'Command', 'CpuPercent', 'OnlineCpus', 'MemoryUsageBytes', 'MemoryLimitBytes',
            'MemoryPercent', 'NetworkRxBytes', 'NetworkTxBytes', 'BlockReadBytes', 'BlockWriteBytes', 'Pids') {
            $columns | Should -Contain $name
        }
        $rows.ContainerId | Sort-Object -Unique | Should -Be $container.Id
        $rows[0].Case | Should -Be $case
        $rows[0].Command | Should -Be 'icoFoam'
    }

    It 'has numbers that parse, CPU% in (0, 100 x OnlineCpus] and memory in (0, limit]' {
        $inv = [Globalization.CultureInfo]::InvariantCulture
        foreach ($row in $rows) {
            $cpu = [double]::Parse($row.CpuPercent, $inv)
            $cpus = [int]$row.OnlineCpus
            $memory = [long]$row.MemoryUsageBytes
            $limit = [long]$row.MemoryLimitBytes
            $cpus | Should -BeGreaterThan 0
            $cpu | Should -BeGreaterThan 0
            $cpu | Should -BeLessOrEqual (100 * $cpus)
            $memory | Should -BeGreaterThan 0
            $memory | Should -BeLessOrEqual $limit
            [long]$row.Pids | Should -BeGreaterThan 0
            [datetime]$row.Timestamp | Should -BeGreaterThan (Get-Date).AddMinutes(-10)
        }
        # A single-threaded solver keeps about one CPU busy.
        ($rows | ForEach-Object { [double]::Parse($_.CpuPercent, $inv) } | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 50
    }
}

Describe 'Get-FoamContainerStats agrees with docker stats' -Tag Engine {
    BeforeAll {
        $script:case = New-TestDirectory
        $script:busy = Invoke-FoamCommand -Path $case -Command 'while :; do :; done' -Image (Get-TestImage) -Detach -NoLog
        Start-Sleep -Seconds 1
    }
    AfterAll {
        Remove-FoamContainer -Id $busy.Id -Force -ErrorAction SilentlyContinue
        Remove-TestDirectory $case
    }

    It 'measures a container burning one CPU like docker stats --no-stream over the same seconds' {
        $busyId = $busy.Id
        $units = @{ B = 1; KiB = 1KB; MiB = 1MB; GiB = 1GB }
        # Two samplers never cover exactly the same second, and on a busy 2-CPU machine one second can differ
        # from the next: up to three paired samples, judged by the closest pair. A wrong formula (per-CPU
        # instead of total, cgroup v1 vs v2 fields) is off in every pair.
        $pairs = foreach ($attempt in 1..3) {
            $cli = Start-ThreadJob { docker stats --no-stream --format "{{.CPUPerc}}|{{.MemUsage}}" $using:busyId }
            $ours = Get-FoamContainerStats -Id $busyId
            $theirs = (Receive-Job $cli -Wait -AutoRemoveJob) -split '\|'
            $cliMemory = $theirs[1].Split('/')[0].Trim()
            $pair = [pscustomobject]@{
                Ours = $ours; Count = @($ours).Count
                CpuDiff = [math]::Abs($ours.CpuPercent - [double]($theirs[0].TrimEnd('%')))
                CliBytes = [double]($cliMemory -replace '[A-Za-z]+$', '') * $units[($cliMemory -replace '^[\d.]+', '')]
            }
            $pair
            if ($pair.CpuDiff -le 10) { break }
        }
        $best = $pairs | Sort-Object CpuDiff | Select-Object -First 1
        $ours = $best.Ours

        $best.Count | Should -Be 1
        $ours.CpuPercent | Should -BeGreaterThan 80
        $best.CpuDiff | Should -BeLessOrEqual 10 -Because "CPU differences over $(@($pairs).Count) paired samples: $(($pairs.CpuDiff | ForEach-Object { '{0:N1}' -f $_ }) -join ', ')"
        [math]::Abs($ours.MemoryUsageBytes - $best.CliBytes) / $best.CliBytes | Should -BeLessOrEqual 0.10
        $ours.Name | Should -Be $busy.Name
    }

    It 'reports an unknown id as ContainerNotFound and still samples the rest' {
        $samples = 'no-such-container', $busy.Id | Get-FoamContainerStats -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ContainerNotFound,FoamPS.Commands.GetFoamContainerStatsCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $samples | Should -HaveCount 1
        $samples[0].ContainerId | Should -Be $busy.Id
    }

    It '-Count takes that many samples, -Interval apart' {
        $samples = Get-FoamContainerStats -Id $busy.Id -Count 3 -Interval 0.5
        $samples | Should -HaveCount 3
        # The engine's own read times: two intervals between the first and the last sample.
        ($samples[2].Timestamp - $samples[0].Timestamp).TotalSeconds | Should -BeGreaterThan 0.8
    }

    It 'warns, with -Follow too, about a container that is not running, and returns at once' {
        $done = Invoke-FoamCommand -Path $case -Command 'true' -Image (Get-TestImage) -Detach -NoLog
        try {
            $null = Wait-FoamContainer -Id $done.Id -ErrorAction SilentlyContinue
            foreach ($follow in $false, $true) {
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $samples = Get-FoamContainerStats -Id $done.Id -Follow:$follow -WarningVariable warned -WarningAction SilentlyContinue
                $samples | Should -BeNullOrEmpty
                $warned | Should -HaveCount 1 -Because "-Follow:$follow says why there is nothing"
                "$($warned[0])" | Should -BeLike '*is not running: no stats.'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            }
        }
        finally { $done | Remove-FoamContainer -Force }
    }

    It 'samples several containers at the same time, not one after another' {
        $more = 1..3 | ForEach-Object { Invoke-FoamCommand -Path $case -Command 'sleep 60' -Image (Get-TestImage) -Detach -NoLog }
        try {
            $samples = @($busy) + $more | Get-FoamContainerStats
            $samples | Should -HaveCount 4
            ($samples.ContainerId | Sort-Object) | Should -Be (@($busy.Id) + $more.Id | Sort-Object)
            # The engine measures each sample over about a second: taken one after another, the
            # four read times would span three seconds or more; taken together, they do not.
            $times = $samples.Timestamp | Sort-Object
            ($times[-1] - $times[0]).TotalSeconds | Should -BeLessThan 2
        }
        finally { $more | Remove-FoamContainer -Force }
    }
}
