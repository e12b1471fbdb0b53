using System.Collections.Generic;
using System.IO;
using System.Linq;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace FoamPS.Foam
{
    /// <summary>The classic residual plot: the initial residual of each field over time, on a log scale (OxyPlot, SVG).</summary>
    public static class ResidualPlot
    {
        /// <summary>A plot model with one series per field (region/field for multi-region logs), first solve of each step.</summary>
        public static PlotModel Build(IEnumerable<FoamResidual> residuals, string title)
        {
            var model = new PlotModel { Title = title, Background = OxyColors.White };
            model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "Time", MajorGridlineStyle = LineStyle.Dot });
            model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "Initial residual", MajorGridlineStyle = LineStyle.Dot, UseSuperExponentialFormat = true });
            model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightTop, LegendPlacement = LegendPlacement.Outside, LegendTitle = "Field" });

            foreach (var field in residuals.Where(r => r.Index == 1 && r.InitialResidual > 0)
                         .GroupBy(r => r.Region == null ? r.Field : r.Region + "/" + r.Field))
            {
                var series = new LineSeries { Title = field.Key, StrokeThickness = 1.5 };
                foreach (var r in field) series.Points.Add(new DataPoint(r.Time, r.InitialResidual));
                model.Series.Add(series);
            }
            return model;
        }

        /// <summary>Writes the model as an SVG document.</summary>
        public static void WriteSvg(PlotModel model, Stream output, int width, int height) =>
            new SvgExporter { Width = width, Height = height }.Export(model, output);
    }
}
