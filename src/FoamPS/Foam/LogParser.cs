using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace FoamPS.Foam
{
    /// <summary>
    /// Reads an OpenFOAM solver log line by line: residuals of each linear solve and the figures
    /// of each time step. Streams (memory does not grow with the log); lines it does not know are
    /// skipped, so a truncated last line or foreign output never fails it.
    /// </summary>
    public sealed class LogParser
    {
        private readonly Action<FoamResidual>? _onResidual;
        private readonly Action<FoamTimeStep>? _onTimeStep;
        private readonly Dictionary<string, int> _solvesThisStep = new Dictionary<string, int>(StringComparer.Ordinal);
        private FoamTimeStep? _step;
        private int? _outer;
        private double? _pendingDeltaT;
        private (double?, double?)? _pendingCourant;
        private string? _region;

        public LogParser(Action<FoamResidual>? onResidual, Action<FoamTimeStep>? onTimeStep = null, string? logPath = null)
        {
            _onResidual = onResidual;
            _onTimeStep = onTimeStep;
            LogPath = logPath;
        }

        public string? LogPath { get; }

        /// <summary>Parses a whole log file, streaming it.</summary>
        public static void ParseFile(string path, Action<FoamResidual>? onResidual, Action<FoamTimeStep>? onTimeStep = null)
        {
            var parser = new LogParser(onResidual, onTimeStep, path);
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16),
                System.Text.Encoding.UTF8, false, 1 << 16);
            string? line;
            while ((line = reader.ReadLine()) != null) parser.Line(line);
            parser.Finish();
        }

        /// <summary>Feeds one line (without its line end).</summary>
        public void Line(string raw)
        {
            var line = StripRankPrefix(raw);
            if (line.Length == 0) return;
            switch (line[0])
            {
                case 'T' when line.StartsWith("Time = ", StringComparison.Ordinal):
                    if (TryTime(line, 7, out var time)) StartStep(time);
                    return;
                case 'C' when line.StartsWith("Courant Number mean: ", StringComparison.Ordinal):
                    // icoFoam prints it after "Time =", solvers with an adjustable time step before it.
                    var courant = Pair(line, "mean: ", "max: ");
                    if (_step != null && _step.Solves == 0 && _step.CourantMax == null) (_step.CourantMean, _step.CourantMax) = courant;
                    else _pendingCourant = courant;
                    return;
                case 'd' when line.StartsWith("deltaT = ", StringComparison.Ordinal):
                    // Printed before the "Time =" of the step it belongs to.
                    if (TryNumber(line, 9, out var dt)) _pendingDeltaT = dt;
                    return;
                case 'E' when line.StartsWith("ExecutionTime = ", StringComparison.Ordinal):
                    if (_step != null) (_step.ExecutionTime, _step.ClockTime) = Pair(line, "ExecutionTime = ", "ClockTime = ");
                    return;
                case 't' when line.StartsWith("time step continuity errors", StringComparison.Ordinal):
                    if (_step != null)
                    {
                        _step.ContinuitySumLocal = After(line, "sum local = ");
                        _step.ContinuityGlobal = After(line, "global = ");
                        _step.ContinuityCumulative = After(line, "cumulative = ");
                    }
                    return;
                case 'P' when line.StartsWith("PIMPLE: ", StringComparison.Ordinal):
                    var it = line.IndexOf("teration ", StringComparison.Ordinal);
                    if (it > 0 && TryNumber(line, it + 9, out var outer)) _outer = (int)outer;
                    return;
                case 'S' when line.StartsWith("Solving for ", StringComparison.Ordinal) && line.IndexOf(" region ", StringComparison.Ordinal) > 0:
                    // chtMultiRegionFoam: "Solving for fluid region bottomAir"
                    _region = line.Substring(line.LastIndexOf(' ') + 1).Trim();
                    return;
            }
            var solving = line.IndexOf(":  Solving for ", StringComparison.Ordinal);
            if (solving > 0) Solve(line, solving);
        }

        /// <summary>Ends the last time step.</summary>
        public void Finish()
        {
            if (_step != null) _onTimeStep?.Invoke(_step);
            _step = null;
        }

        private void StartStep(double time)
        {
            Finish();
            _step = new FoamTimeStep { Time = time, LogPath = LogPath, DeltaT = _pendingDeltaT };
            if (_pendingCourant.HasValue) (_step.CourantMean, _step.CourantMax) = _pendingCourant.Value;
            _pendingDeltaT = null;
            _pendingCourant = null;
            _solvesThisStep.Clear();
            _outer = null;
        }

        // "DICPCG:  Solving for p, Initial residual = 1, Final residual = 0.0492854, No Iterations 12"
        private void Solve(string line, int solving)
        {
            var fieldStart = solving + 15;
            var comma = line.IndexOf(',', fieldStart);
            if (comma < 0) return;
            var initial = After(line, "Initial residual = ", comma);
            var final = After(line, "Final residual = ", comma);
            var iterations = After(line, "No Iterations ", comma);
            if (initial == null || final == null || iterations == null) return;  // a truncated line
            var field = line.Substring(fieldStart, comma - fieldStart);
            var key = _region == null ? field : _region + "/" + field;
            _solvesThisStep.TryGetValue(key, out var index);
            _solvesThisStep[key] = ++index;
            if (_step != null) _step.Solves++;
            _onResidual?.Invoke(new FoamResidual
            {
                Time = _step?.Time ?? 0,
                Field = field,
                Solver = line.Substring(0, solving).Trim(),
                InitialResidual = initial.Value,
                FinalResidual = final.Value,
                Iterations = (int)iterations.Value,
                Index = index,
                OuterIteration = _outer,
                Region = _region,
                LogPath = LogPath,
            });
        }

        /// <summary>mpirun --tag-output prefixes ("[1,0]&lt;stdout&gt;:") and rank tags ("[0] ").</summary>
        private static string StripRankPrefix(string line)
        {
            if (line.Length == 0 || line[0] != '[') return line;
            var close = line.IndexOf(']');
            if (close < 0) return line;
            var rest = line.Substring(close + 1);
            if (rest.StartsWith("<stdout>:", StringComparison.Ordinal) || rest.StartsWith("<stderr>:", StringComparison.Ordinal)) rest = rest.Substring(9);
            return rest.TrimStart();
        }

        private static bool TryTime(string line, int start, out double value)
        {
            // "Time = 0.005" (OpenCFD), "Time = 0.005s" (Foundation)
            var end = line.Length;
            while (end > start && (line[end - 1] == 's' || char.IsWhiteSpace(line[end - 1]))) end--;
            return double.TryParse(line.Substring(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        private static bool TryNumber(string line, int start, out double value)
        {
            var end = start;
            while (end < line.Length && line[end] != ' ' && line[end] != ',' && line[end] != '\t') end++;
#if NET8_0_OR_GREATER
            return double.TryParse(line.AsSpan(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
#else
            return double.TryParse(line.Substring(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
#endif
        }

        private static double? After(string line, string label, int from = 0)
        {
            var i = line.IndexOf(label, from, StringComparison.Ordinal);
            return i >= 0 && TryNumber(line, i + label.Length, out var v) ? v : (double?)null;
        }

        private static (double?, double?) Pair(string line, string first, string second) => (After(line, first), After(line, second));
    }
}
