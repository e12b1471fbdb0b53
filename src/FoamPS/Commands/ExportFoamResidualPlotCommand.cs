using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using FoamPS.Foam;

namespace FoamPS.Commands
{
    /// <summary>
    /// Writes the residual plot of a solver run as SVG: initial residual per field over time,
    /// logarithmic axis, legend, title with case and application.
    /// </summary>
    [Cmdlet(VerbsData.Export, "FoamResidualPlot", SupportsShouldProcess = true, DefaultParameterSetName = LogSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportFoamResidualPlotCommand : PSCmdlet
    {
        private const string LogSet = "Log";
        private const string ObjectSet = "InputObject";
        private readonly List<FoamResidual> _residuals = new List<FoamResidual>();

        /// <summary>The SVG file to write (default: residuals.svg beside the log).</summary>
        [Parameter(Position = 0)]
        public string? Path { get; set; }

        /// <summary>A solver log, or a case directory holding one.</summary>
        /// <remarks>Not bound from the pipeline: piped FoamResidual objects carry a LogPath too, and must bind as -InputObject.</remarks>
        [Parameter(Mandatory = true, ParameterSetName = LogSet)]
        public string LogPath { get; set; } = "";

        /// <summary>Residuals from Get-FoamResidual; or solver logs and case directories, as Get-Item/Get-ChildItem output or paths.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectSet, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>The plot's title (default: application and case, from the log).</summary>
        [Parameter]
        public string? Title { get; set; }

        [Parameter]
        [ValidateRange(200, 10000)]
        public int Width { get; set; } = 1000;

        [Parameter]
        [ValidateRange(150, 10000)]
        public int Height { get; set; } = 600;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == LogSet) { ReadLog(LogPath); return; }
            foreach (var item in InputObject)
            {
                switch (item?.BaseObject)
                {
                    case FoamResidual residual: _residuals.Add(residual); break;
                    case FileSystemInfo file: ReadLog(file.FullName); break;
                    case string path: ReadLog(path); break;
                    default:
                        var what = item?.BaseObject?.GetType().FullName ?? "null";
                        WriteError(new ErrorRecord(new FoamException(ErrorIds.InvalidInputObject, FoamErrorKind.InvalidArgument,
                            $"Export-FoamResidualPlot takes FoamResidual objects (from Get-FoamResidual), or solver logs and case directories (paths, or Get-Item output), not a {what}.", item),
                            ErrorIds.InvalidInputObject, ErrorCategory.InvalidArgument, item));
                        break;
                }
            }
        }

        /// <summary>Adds the residuals of a solver log, or of the newest solver log of a case directory.</summary>
        private void ReadLog(string given)
        {
            var log = SessionState.Path.GetUnresolvedProviderPathFromPSPath(given);
            if (Directory.Exists(log)) log = ControlDict.CaseLog(log) ?? log;
            if (!File.Exists(log))
            {
                WriteError(new ErrorRecord(new FoamException(ErrorIds.LogNotFound, FoamErrorKind.ObjectNotFound,
                    $"No solver log at '{given}'.", given), ErrorIds.LogNotFound, ErrorCategory.ObjectNotFound, given));
                return;
            }
            _firstLog ??= log;
            LogParser.ParseFile(log, _residuals.Add);
        }

        private string? _firstLog;

        protected override void EndProcessing()
        {
            if (_residuals.Count == 0)
            {
                ThrowTerminatingError(new ErrorRecord(new FoamException(ErrorIds.NoResiduals, FoamErrorKind.InvalidData,
                    _firstLog != null
                        ? $"There are no residuals to plot: '{_firstLog}' holds no 'Solving for' lines (is it a solver's log?)."
                        : "There are no residuals to plot: no solver log was read.", _firstLog),
                    ErrorIds.NoResiduals, ErrorCategory.InvalidData, _firstLog));
                return;
            }
            var logPath = _residuals[0].LogPath;
            var output = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path ??
                System.IO.Path.Combine(System.IO.Path.GetDirectoryName(logPath ?? SessionState.Path.CurrentFileSystemLocation.Path) ?? ".", "residuals.svg"));
            if (!ShouldProcess(output, "Write residual plot")) return;
            var model = ResidualPlot.Build(_residuals, Title ?? DefaultTitle(logPath));
            try
            {
                // In place of what is there, never through a link (a run's container can leave one in the case).
                using (var file = Runner.SafeFile.Replace(output, null, 81920)) ResidualPlot.WriteSvg(model, file, Width, Height);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(new FoamException(ErrorIds.PlotNotWritable, FoamErrorKind.WriteError,
                    $"Cannot write the plot '{output}': {e.Message}", output, e), ErrorIds.PlotNotWritable, ErrorCategory.WriteError, output));
            }
            WriteObject(this.AsItem(new FileInfo(output)));
        }

        /// <summary>"icoFoam — cavity" from ".../cavity/log.icoFoam".</summary>
        private static string DefaultTitle(string? logPath)
        {
            if (logPath == null) return "Residuals";
            var name = System.IO.Path.GetFileName(logPath);
            var application = name.StartsWith("log.", StringComparison.Ordinal) ? name.Substring(4) : name;
            var caseName = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(logPath) ?? "");
            return $"{application} \u2014 {caseName}";
        }
    }
}
