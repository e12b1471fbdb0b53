using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FoamPS.Foam
{
    /// <summary>What a running command is doing, for a progress display.</summary>
    public sealed class SolverStatus
    {
        public string LatestLine { get; set; } = "";

        /// <summary>The simulated time of the latest step; null for utilities (no "Time =" lines).</summary>
        public double? Time { get; set; }

        /// <summary>0..100, or -1 when unknown (no endTime, a utility).</summary>
        public int PercentComplete { get; set; } = -1;

        /// <summary>Estimated from the recent rate; -1 when unknown.</summary>
        public int SecondsRemaining { get; set; } = -1;

        public double? CourantMax { get; set; }

        /// <summary>The first (initial) residual of each field in the latest step.</summary>
        public IReadOnlyList<KeyValuePair<string, double>> Residuals { get; set; } = Array.Empty<KeyValuePair<string, double>>();

        /// <summary>"Time = 0.25  Co 0.85  Ux 1.2e-05  p 3.4e-04", or the latest line for utilities.</summary>
        public string Text
        {
            get
            {
                if (Time == null) return LatestLine;
                var sb = new StringBuilder("Time = ").Append(Time.Value.ToString("G6", CultureInfo.InvariantCulture));
                if (CourantMax != null) sb.Append("  Co ").Append(CourantMax.Value.ToString("G3", CultureInfo.InvariantCulture));
                foreach (var r in Residuals) sb.Append("  ").Append(r.Key).Append(' ').Append(r.Value.ToString("0.##e+00", CultureInfo.InvariantCulture));
                return sb.ToString();
            }
        }
    }

    /// <summary>
    /// Turns the last lines of a solver's output into progress: percent of (endTime - start),
    /// seconds remaining from the rate over the last seconds, Courant number and residuals.
    /// The controlDict may be missing or unreadable: progress is then indeterminate.
    /// </summary>
    public sealed class SolverProgress
    {
        private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(20);

        private readonly double? _start;
        private readonly double? _end;
        private readonly double? _deltaT;
        private readonly Queue<(DateTime Wall, double Time)> _recent = new Queue<(DateTime, double)>();
        private double? _firstSeen;

        public SolverProgress(ControlDict? controlDict)
        {
            _end = controlDict?.EndTime;
            _deltaT = controlDict?.DeltaT;
            // startFrom latestTime (or firstTime): the start is whatever the log shows first.
            var from = controlDict?.StartFrom;
            _start = from == null || from == "startTime" ? controlDict?.StartTime : null;
        }

        public SolverStatus Update(IReadOnlyList<string> lastLines, DateTime now)
        {
            var status = new SolverStatus { LatestLine = Latest(lastLines) };
            var stepLine = -1;
            for (var i = lastLines.Count - 1; i >= 0; i--)
            {
                if (lastLines[i].StartsWith("Time = ", StringComparison.Ordinal)) { stepLine = i; break; }
            }
            if (stepLine < 0) return status;

            var residuals = new List<KeyValuePair<string, double>>();
            FoamTimeStep? step = null;
            var parser = new LogParser(r =>
            {
                if (r.Index == 1 && !residuals.Any(x => x.Key == r.Field)) residuals.Add(new KeyValuePair<string, double>(r.Field, r.InitialResidual));
            }, s => step = s);
            for (var i = stepLine; i < lastLines.Count; i++) parser.Line(lastLines[i]);
            parser.Finish();
            if (step == null) return status;

            status.Time = step.Time;
            status.CourantMax = step.CourantMax;
            status.Residuals = residuals;
            _firstSeen ??= step.Time - (_deltaT ?? 0);
            var start = _start ?? _firstSeen.Value;
            if (_end is double end && end > start)
            {
                status.PercentComplete = (int)Math.Max(0, Math.Min(100, Math.Floor((step.Time - start) / (end - start) * 100 + 1e-9)));
                status.SecondsRemaining = Remaining(now, step.Time, end);
            }
            return status;
        }

        private int Remaining(DateTime now, double time, double end)
        {
            _recent.Enqueue((now, time));
            while (_recent.Count > 2 && now - _recent.Peek().Wall > RateWindow) _recent.Dequeue();
            var (wall0, time0) = _recent.Peek();
            var seconds = (now - wall0).TotalSeconds;
            if (seconds <= 0 || time <= time0) return -1;
            var rate = (time - time0) / seconds;
            return (int)Math.Min(int.MaxValue / 2, Math.Ceiling(Math.Max(0, end - time) / rate));
        }

        private static string Latest(IReadOnlyList<string> lines)
        {
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                if (lines[i].Trim().Length > 0) return lines[i].Trim();
            }
            return "";
        }
    }
}
