using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FoamPS.Foam;
using Xunit;

namespace FoamPS.Tests
{
    public class ControlDictTests
    {
        private const string Header = @"/*--------------------------------*- C++ -*----------------------------------*\
| =========                 |                                                 |
\*---------------------------------------------------------------------------*/
FoamFile
{
    version     2.0;
    format      ascii;
    class       dictionary;
    object      controlDict;
}
// * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * //
";

        [Fact]
        public void ReadsTopLevelEntriesPastCommentsIncludesAndSubDictionaries()
        {
            var d = ControlDict.Parse(Header + @"
#include ""initialConditions""
application     pimpleFoam;   // the solver
startFrom       startTime;
startTime       0;
stopAt          endTime;
endTime         2.5e-1;       /* scientific notation */
deltaT          1E-4;
writeInterval   $writeEvery;
functions
{
    probes { type probes; endTime 99; }
}
");
            Assert.Equal("pimpleFoam", d.Application);
            Assert.Equal("startTime", d.StartFrom);
            Assert.Equal(0.0, d.StartTime);
            Assert.Equal(0.25, d.EndTime);
            Assert.Equal(1e-4, d.DeltaT);
            Assert.Null(d.WriteInterval);       // a $macro: not a number we know
            Assert.Null(d["type"]);             // inside a sub-dictionary
        }

        [Fact]
        public void GarbledTextGivesNothingRatherThanAnError()
        {
            var d = ControlDict.Parse("endTime {{ ;; \"unterminated /* application");
            Assert.Null(d.EndTime);
            Assert.Null(d.Application);
            Assert.Null(new SolverProgress(d).Update(new[] { "Time = 0.1" }, DateTime.UtcNow).PercentComplete is var p && p == -1 ? null : "x");
        }
    }

    public class LogParserTests
    {
        private static (List<FoamResidual> Residuals, List<FoamTimeStep> Steps) Parse(string text)
        {
            var residuals = new List<FoamResidual>();
            var steps = new List<FoamTimeStep>();
            var path = Path.GetTempFileName();
            try
            {
                File.WriteAllText(path, text);
                LogParser.ParseFile(path, residuals.Add, steps.Add);
            }
            finally { File.Delete(path); }
            return (residuals, steps);
        }

        private const string Piso = "Time = 0.005\n\nCourant Number mean: 0 max: 0\n" +
            "smoothSolver:  Solving for Ux, Initial residual = 1, Final residual = 8.90511e-06, No Iterations 19\n" +
            "smoothSolver:  Solving for Uy, Initial residual = 0, Final residual = 0, No Iterations 0\n" +
            "DICPCG:  Solving for p, Initial residual = 1, Final residual = 0.0492854, No Iterations 12\n" +
            "time step continuity errors : sum local = 8.90511e-09, global = -1.12226e-20, cumulative = -1.12226e-20\n" +
            "DICPCG:  Solving for p, Initial residual = 0.590864, Final residual = 2.65225e-07, No Iterations 35\n" +
            "time step continuity errors : sum local = 2.74685e-09, global = -2.6445e-19, cumulative = -2.77667e-19\n" +
            "ExecutionTime = 0.01 s  ClockTime = 0 s\n\n" +
            "Time = 0.01\n\nCourant Number mean: 0.0976825 max: 0.585607\n" +
            "smoothSolver:  Solving for Ux, Initial residual = 0.160686, Final residual = 6.83031e-06, No Iterations 19\n";

        [Fact]
        public void ReadsEverySolveWithItsIndexWithinTheStep()
        {
            var (r, s) = Parse(Piso);
            Assert.Equal(5, r.Count);
            Assert.Equal(new[] { "Ux", "Uy", "p", "p", "Ux" }, r.Select(x => x.Field));
            Assert.Equal(new[] { 1, 1, 1, 2, 1 }, r.Select(x => x.Index));
            Assert.Equal(0.590864, r[3].InitialResidual);
            Assert.Equal(2.65225e-07, r[3].FinalResidual);
            Assert.Equal(35, r[3].Iterations);
            Assert.Equal("DICPCG", r[3].Solver);
            Assert.Equal(0.01, r[4].Time);
            Assert.Equal(2, s.Count);
            Assert.Equal(0.005, s[0].Time);
            Assert.Equal(4, s[0].Solves);
            Assert.Equal(-2.77667e-19, s[0].ContinuityCumulative);
            Assert.Equal(0.01, s[0].ExecutionTime);
            Assert.Equal(0.585607, s[1].CourantMax);
            Assert.Null(s[1].ExecutionTime);       // the log ends inside the step
        }

        [Fact]
        public void HandlesCrLfAndATruncatedLastLine()
        {
            var text = Piso.Replace("\n", "\r\n") + "DICPCG:  Solving for p, Initial residual = 0.3, Final resid";
            var (r, _) = Parse(text);
            Assert.Equal(5, r.Count);
            Assert.Equal("Ux", r[4].Field);
        }

        [Fact]
        public void PimpleOuterIterationsFoundationTimesAndDeltaT()
        {
            var (r, s) = Parse("Courant Number mean: 0.1 max: 0.4\ndeltaT = 0.00119048\nTime = 0.0119048s\n\n" +
                "PIMPLE: Iteration 1\nsmoothSolver:  Solving for Ux, Initial residual = 0.5, Final residual = 1e-06, No Iterations 3\n" +
                "GAMG:  Solving for p, Initial residual = 0.2, Final residual = 1e-05, No Iterations 4\n" +
                "PIMPLE: Iteration 2\nsmoothSolver:  Solving for Ux, Initial residual = 0.05, Final residual = 1e-07, No Iterations 2\n" +
                "GAMG:  Solving for p, Initial residual = 0.02, Final residual = 1e-06, No Iterations 3\n" +
                "PIMPLE: converged in 2 iterations\n" +
                "deltaT = 0.00142857\nTime = 0.0133333s\n");
            Assert.Equal(new int?[] { 1, 1, 2, 2 }, r.Select(x => x.OuterIteration));
            Assert.Equal(new[] { 1, 1, 2, 2 }, r.Select(x => x.Index));
            Assert.Equal(0.0119048, r[0].Time);
            Assert.Equal(2, s.Count);
            Assert.Equal(0.00119048, s[0].DeltaT);
            Assert.Equal(0.4, s[0].CourantMax);
            Assert.Equal(0.00142857, s[1].DeltaT);
        }

        [Fact]
        public void MultiRegionSolvesCarryTheirRegion()
        {
            var (r, _) = Parse("Time = 1\n\nSolving for fluid region bottomAir\n" +
                "DILUPBiCG:  Solving for h, Initial residual = 0.01, Final residual = 1e-06, No Iterations 2\n" +
                "Solving for solid region heater\n" +
                "DICPCG:  Solving for h, Initial residual = 0.02, Final residual = 2e-06, No Iterations 3\n");
            Assert.Equal(new[] { "bottomAir", "heater" }, r.Select(x => x.Region));
            Assert.Equal(new[] { 1, 1 }, r.Select(x => x.Index));
        }

        [Fact]
        public void ParallelRunPrefixesAreStripped()
        {
            var (r, s) = Parse("[1,0]<stdout>:Time = 0.5\n[1,0]<stdout>:DICPCG:  Solving for p, Initial residual = 0.1, Final residual = 1e-06, No Iterations 5\n");
            Assert.Single(r);
            Assert.Equal(0.5, r[0].Time);
            Assert.Single(s);
        }
    }

    public class SolverProgressTests
    {
        private static ControlDict Cavity => ControlDict.Parse("startFrom startTime; startTime 0; endTime 0.5; deltaT 0.005;");

        [Fact]
        public void PercentAndResidualsOfTheLatestStep()
        {
            var p = new SolverProgress(Cavity);
            var lines = new[]
            {
                "Time = 0.25", "Courant Number mean: 0.2 max: 0.85",
                "smoothSolver:  Solving for Ux, Initial residual = 0.001, Final residual = 1e-06, No Iterations 5",
                "DICPCG:  Solving for p, Initial residual = 0.02, Final residual = 1e-06, No Iterations 20",
                "DICPCG:  Solving for p, Initial residual = 0.003, Final residual = 1e-07, No Iterations 20",
            };
            var s = p.Update(lines, DateTime.UtcNow);
            Assert.Equal(50, s.PercentComplete);
            Assert.Equal(0.85, s.CourantMax);
            Assert.Equal(new[] { "Ux", "p" }, s.Residuals.Select(x => x.Key));
            Assert.Equal(0.02, s.Residuals[1].Value);          // the first solve of p in the step
            Assert.StartsWith("Time = 0.25  Co 0.85  Ux 1e-03  p 2e-02", s.Text);
        }

        [Fact]
        public void SecondsRemainingFromTheRecentRate()
        {
            var p = new SolverProgress(Cavity);
            var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            p.Update(new[] { "Time = 0.1" }, t0);
            var s = p.Update(new[] { "Time = 0.2" }, t0.AddSeconds(10));   // 0.01 per second; 0.3 to go
            Assert.Equal(40, s.PercentComplete);
            Assert.Equal(30, s.SecondsRemaining);
        }

        [Fact]
        public void UtilitiesShowTheirLatestLine()
        {
            var s = new SolverProgress(Cavity).Update(new[] { "Creating block mesh topology", "", "Writing polyMesh", "" }, DateTime.UtcNow);
            Assert.Null(s.Time);
            Assert.Equal(-1, s.PercentComplete);
            Assert.Equal("Writing polyMesh", s.Text);
        }

        [Fact]
        public void LatestTimeStartCountsFromTheFirstStepSeen()
        {
            var p = new SolverProgress(ControlDict.Parse("startFrom latestTime; startTime 0; endTime 1; deltaT 0.1;"));
            Assert.Equal(20, p.Update(new[] { "Time = 0.6" }, DateTime.UtcNow).PercentComplete);    // restarted at 0.5: one step of five
            Assert.Equal(60, p.Update(new[] { "Time = 0.8" }, DateTime.UtcNow).PercentComplete);
        }
    }
}
