using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FoamPS.Foam;

namespace FoamPS.Commands
{
    /// <summary>
    /// Base of the cmdlets that read solver logs on this machine: a log file, or a case directory
    /// (its log.&lt;application&gt;, else its newest log.*), from parameters or the pipeline
    /// (FoamRunResult, FileInfo, DirectoryInfo, paths).
    /// </summary>
    public abstract class FoamLogCmdlet : PSCmdlet
    {
        /// <summary>Log files or case directories.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("LogPath", "FullName", "PSPath")]
        public string[] Path { get; set; } = { "." };

        protected override void ProcessRecord()
        {
            foreach (var item in Path)
            {
                var log = Resolve(item);
                if (log != null) Parse(log);
            }
        }

        /// <summary>Reads one log, writing objects as they are parsed.</summary>
        protected abstract void Parse(string logPath);

        private string? Resolve(string item)
        {
            string path;
            try { path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(item); }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
            {
                WriteNotFound(item, e.Message);
                return null;
            }
            if (File.Exists(path)) return path;
            if (!Directory.Exists(path))
            {
                WriteNotFound(item, $"'{path}' is neither a log file nor a case directory.");
                return null;
            }
            var log = ControlDict.CaseLog(path);
            if (log != null) return log;
            WriteNotFound(item, $"The case '{path}' has no log.* file.");
            return null;
        }

        private void WriteNotFound(string item, string why) =>
            WriteError(new ErrorRecord(new FoamException(ErrorIds.LogNotFound, FoamErrorKind.ObjectNotFound,
                $"No solver log at '{item}': {why} Give a log file (log.simpleFoam) or a case directory that holds one.", item),
                ErrorIds.LogNotFound, ErrorCategory.ObjectNotFound, item));
    }
}
