#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Residuals, time steps and live solver progress, on logs of real OpenFOAM runs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Join-Path (Get-TestModulePath) 'FoamPS.psd1'
    Import-Module $manifest -Force
    $script:image = Get-TestImage
    $script:case = New-CavityCase
    Invoke-FoamCommand -Path $case -Command blockMesh -Image $image | Out-Null
    $script:run = Invoke-FoamCommand -Path $case -Command icoFoam -Image $image
    $script:residuals = Get-FoamResidual -Path $run.LogPath
    $script:lines = Get-Content -LiteralPath $run.LogPath
    $script:inv = [Globalization.CultureInfo]::InvariantCulture
}
AfterAll { Remove-TestDirectory $case }

Describe 'Get-FoamResidual on the cavity' -Tag Engine {
    It 'warns when a log holds no residuals (blockMesh''s), and returns nothing' {
        $out = Get-FoamResidual -Path (Join-Path $case 'log.blockMesh') -WarningVariable warned -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $warned | Should -HaveCount 1
        "$($warned[0])" | Should -BeLike "*log.blockMesh' holds no residuals*"
        $steps = Get-FoamTimeStep -Path (Join-Path $case 'log.blockMesh') -WarningVariable warnedSteps -WarningAction SilentlyContinue
        $steps | Should -BeNullOrEmpty
        $warnedSteps | Should -HaveCount 1
    }

    It 'has Ux, Uy and p for every one of the 100 time steps' {
        $byTime = $residuals | Group-Object Time
        $byTime | Should -HaveCount 100
        foreach ($step in $byTime) {
            $fields = $step.Group.Field | Sort-Object -Unique
            $fields | Should -Be @('p', 'Ux', 'Uy')
        }
        $residuals[0] | Should -BeOfType ([FoamPS.FoamResidual])
    }

    It 'counts as many p solves as the log has "Solving for p" lines, each step numbering its correctors' {
        $pLines = @($lines | Where-Object { $_ -match 'Solving for p,' })
        @($residuals | Where-Object Field -EQ 'p').Count | Should -Be $pLines.Count
        $perStep = $residuals | Where-Object Field -EQ 'p' | Group-Object Time
        foreach ($step in $perStep) { $step.Group.Index | Should -Be (1..$step.Count) }
    }

    It 'carries the numbers of the log' {
        $logSum = 0.0; $logIterations = 0
        foreach ($l in $lines) {
            if ($l -match 'Solving for Ux, Initial residual = ([^,]+), Final residual = ([^,]+), No Iterations (\d+)') {
                $logSum += [double]::Parse($Matches[1], $inv) + [double]::Parse($Matches[2], $inv); $logIterations += [int]$Matches[3]
            }
        }
        $ux = $residuals | Where-Object Field -EQ 'Ux'
        ($ux | ForEach-Object { $_.InitialResidual + $_.FinalResidual } | Measure-Object -Sum).Sum | Should -Be $logSum
        ($ux | Measure-Object Iterations -Sum).Sum | Should -Be $logIterations
        ($ux | Select-Object -First 1).Solver | Should -Be 'smoothSolver'
        ($residuals | Select-Object -Last 1).Time | Should -Be 0.5
    }

    It 'takes FoamRunResult objects, FileInfo objects and case directories' {
        @($run | Get-FoamResidual).Count | Should -Be $residuals.Count
        @(Get-Item -LiteralPath $run.LogPath | Get-FoamResidual).Count | Should -Be $residuals.Count
        @(Get-FoamResidual -Path $case).Count | Should -Be $residuals.Count
    }

    It 'a path with no log: LogNotFound' {
        Get-FoamResidual -Path (Join-Path $case 'nothing-here') -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'LogNotFound,FoamPS.Commands.GetFoamResidualCommand'
    }

    It 'Get-FoamTimeStep gives each step''s Courant numbers, times and continuity errors' {
        $steps = Get-FoamTimeStep -Path $run.LogPath
        $steps | Should -HaveCount 100
        $steps[-1].Time | Should -Be 0.5
        $courant = @($lines | Where-Object { $_ -like 'Courant Number mean:*' })[-1] -replace '^.*max: ', ''
        $steps[-1].CourantMax | Should -Be ([double]::Parse($courant, $inv))
        $steps[-1].ExecutionTime | Should -BeGreaterThan 0
        $steps[-1].ContinuityCumulative | Should -Not -BeNullOrEmpty
        $steps[0].Solves | Should -Be 4
    }
}

Describe 'Export-FoamResidualPlot' -Tag Engine {
    It 'writes a well-formed SVG with a series per field on a logarithmic axis' {
        $svg = Join-Path $case 'plot.svg'
        $file = Export-FoamResidualPlot -LogPath $run.LogPath -Path $svg
        $file | Should -BeOfType ([IO.FileInfo])
        $file.PSProvider.Name | Should -Be 'FileSystem'
        $file.FullName | Should -Be $svg
        $xml = [xml](Get-Content -Raw -LiteralPath $svg)
        $xml.DocumentElement.LocalName | Should -Be 'svg'
        $texts = $xml.SelectNodes('//*[local-name()="text"]') | ForEach-Object InnerText
        foreach ($field in 'Ux', 'Uy', 'p') { $texts | Should -Contain $field }
        $texts | Should -Contain 'icoFoam — cavity'
        $texts | Should -Contain 'Initial residual'
        # A logarithmic axis labels its ticks as powers of ten: "10" then an exponent, stepping by one.
        $exponents = @(for ($i = 0; $i -lt $texts.Count - 1; $i++) { if ($texts[$i] -eq '10') { [int]$texts[$i + 1] } })
        $exponents.Count | Should -BeGreaterOrEqual 3
        for ($i = 1; $i -lt $exponents.Count; $i++) { $exponents[$i] - $exponents[$i - 1] | Should -Be 1 }
        @($xml.SelectNodes('//*[local-name()="polyline"]')).Count | Should -BeGreaterOrEqual 3
    }

    It 'plots a case piped in from Get-Item (its solver log), and refuses other objects with InvalidInputObject' {
        $svg = Join-Path $case 'residuals.svg'
        Remove-Item -LiteralPath $svg -ErrorAction SilentlyContinue
        $file = Get-Item -LiteralPath $case | Export-FoamResidualPlot
        $file.FullName | Should -Be $svg
        (Get-Content -Raw -LiteralPath $svg) | Should -Match '<svg'
        $err = { 42 | Export-FoamResidualPlot -Path (Join-Path $case 'none.svg') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidInputObject,FoamPS.Commands.ExportFoamResidualPlotCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Join-Path $case 'none.svg' | Should -Not -Exist
    }

    It 'plots residuals from the pipeline; no residuals is a NoResiduals error' {
        $svg = Join-Path $case 'piped.svg'
        ($residuals | Where-Object Field -EQ 'p' | Export-FoamResidualPlot -Path $svg -Title 'p only').Length | Should -BeGreaterThan 1000
        $texts = ([xml](Get-Content -Raw -LiteralPath $svg)).SelectNodes('//*[local-name()="text"]') | ForEach-Object InnerText
        $texts | Should -Contain 'p only'
        $texts | Should -Not -Contain 'Ux'
        $err = { Export-FoamResidualPlot -LogPath (Join-Path $case 'log.blockMesh') -Path (Join-Path $case 'none.svg') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'NoResiduals,FoamPS.Commands.ExportFoamResidualPlotCommand'
        Join-Path $case 'none.svg' | Should -Not -Exist
    }
}

Describe 'Get-FoamResidual on PIMPLE and parallel logs' -Tag Engine {
    It 'reads a pimpleFoam log with its outer iterations' {
        $pc = New-TestDirectory 'pc'
        try {
            Invoke-FoamCommand -Path $pc -Image $image -NoLog -Command 'cp -r /usr/share/doc/openfoam-examples/examples/incompressible/pimpleFoam/laminar/planarContraction/. . && sed -i "s/^endTime .*/endTime 0.002;/" system/controlDict && blockMesh' | Out-Null
            $r = Invoke-FoamCommand -Path $pc -Image $image -Command pimpleFoam
            $r.Succeeded | Should -BeTrue
            $res = Get-FoamResidual $r.LogPath
            $log = Get-Content -LiteralPath $r.LogPath
            $res.Count | Should -Be @($log | Where-Object { $_ -match ':  Solving for ' }).Count
            ($res.OuterIteration | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 1
            $res | Where-Object { $_.Field -eq 'p' -and $_.OuterIteration -eq 2 } | Should -Not -BeNullOrEmpty
            ($res | Group-Object Time).Count | Should -Be @($log | Where-Object { $_ -match '^Time = ' }).Count
        }
        finally { Remove-TestDirectory $pc }
    }

    It 'reads the log of a parallel (MPI) run like the serial one' {
        $par = New-CavityCase -Name 'parallel'
        try {
            Set-Content -LiteralPath (Join-Path $par 'system/decomposeParDict') -Value @'
FoamFile { version 2.0; format ascii; class dictionary; object decomposeParDict; }
numberOfSubdomains 2;
method simple;
simpleCoeffs { n (2 1 1); delta 0.001; }
'@
            Invoke-FoamCommand -Path $par -Image $image -Command blockMesh | Out-Null
            Invoke-FoamCommand -Path $par -Image $image -Command decomposePar | Out-Null
            $r = Invoke-FoamCommand -Path $par -Image $image -Command 'mpirun -np 2 --oversubscribe icoFoam -parallel'
            $r.Succeeded | Should -BeTrue
            $r.Application | Should -Be 'icoFoam'
            Get-Content -LiteralPath $r.LogPath | Where-Object { $_ -match '^Create time' } | Should -Not -BeNullOrEmpty
            $res = Get-FoamResidual $r.LogPath
            ($res | Group-Object Time).Count | Should -Be 100
            @($res | Where-Object Field -EQ 'p').Count | Should -Be @($residuals | Where-Object Field -EQ 'p').Count
        }
        finally { Remove-TestDirectory $par }
    }
}

Describe 'Invoke-FoamCommand shows solver progress' -Tag Engine {
    It 'percent rises from near 0 to 100, then the bar is completed' {
        $refined = New-RefinedCavityCase -EndTime 0.05
        try {
            Invoke-FoamCommand -Path $refined -Command blockMesh -Image $image | Out-Null
            $ps = [PowerShell]::Create()
            $null = $ps.AddScript("Import-Module '$manifest'; Invoke-FoamCommand -Path '$refined' -Command icoFoam -Image '$image'")
            $result = $ps.Invoke()
            $result[0].Succeeded | Should -BeTrue
            $records = @($ps.Streams.Progress | Where-Object Activity -Like 'icoFoam*')
            $running = @($records | Where-Object RecordType -EQ 'Processing')
            $running.Count | Should -BeGreaterOrEqual 3
            $percents = $running.PercentComplete
            $percents[0] | Should -BeLessThan 40
            $percents[-1] | Should -Be 100
            for ($i = 1; $i -lt $percents.Count; $i++) { $percents[$i] | Should -BeGreaterOrEqual $percents[$i - 1] }
            $running[-1].StatusDescription | Should -Match '^Time = 0\.05\s+Co [\d.]+\s+Ux \d'
            $records[-1].RecordType | Should -Be 'Completed'
            $ps.Dispose()
        }
        finally { Remove-TestDirectory $refined }
    }
}
