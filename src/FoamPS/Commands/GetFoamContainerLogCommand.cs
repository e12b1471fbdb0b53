using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>The lines of a FoamPS run's log, optionally following it until the container exits.</summary>
    [Cmdlet(VerbsCommon.Get, "FoamContainerLog")]
    [OutputType(typeof(string))]
    public sealed class GetFoamContainerLogCommand : FoamCmdlet
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

        /// <summary>Container ids or names; also FoamContainer / FoamRunResult objects.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ContainerId")]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Only the last n lines (then new ones with -Follow).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? Tail { get; set; }

        /// <summary>Keep emitting new lines until the container exits (or Ctrl+C).</summary>
        [Parameter]
        public SwitchParameter Follow { get; set; }

        protected override void ProcessRecord()
        {
            RunAsync(async ct =>
            {
                foreach (var container in await ResolveContainersAsync(Id, ct).ConfigureAwait(false))
                {
                    if (container.LogPath == null)
                    {
                        PostError(new FoamException(ErrorIds.LogNotFound, FoamErrorKind.ObjectNotFound,
                            $"Container {container} was started with -NoLog: it has no log.", container));
                        continue;
                    }
                    // A detached run's shell creates its log a moment after the container starts.
                    var current = container;
                    while (!File.Exists(container.LogPath) && Follow && current.State == "running")
                    {
                        await Task.Delay(Poll, ct).ConfigureAwait(false);
                        current = await FoamContainers.ResolveAsync(Engine, container.Id, ct).ConfigureAwait(false);
                    }
                    if (File.Exists(container.LogPath))
                    {
                        await ReadAsync(current, ct).ConfigureAwait(false);
                    }
                    else if (current.State != "running" && current.State != "created")
                    {
                        PostError(new FoamException(ErrorIds.LogNotFound, FoamErrorKind.ObjectNotFound,
                            $"The log '{container.LogPath}' of container {container} does not exist, or is not on this machine.", container));
                    }
                }
            });
        }

        private async Task ReadAsync(FoamContainer container, CancellationToken ct)
        {
            var splitter = new LineSplitter(PostObject);
            using var file = new FileStream(container.LogPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (Tail is int n) file.Seek(LogFile.TailOffset(file, n), SeekOrigin.Begin);
            var buffer = new byte[81920];
            var running = Follow && container.State == "running";
            var lastCheck = DateTime.UtcNow;
            while (true)
            {
                var read = await file.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (read > 0) { splitter.Write(buffer, 0, read); continue; }
                if (!running) break;
                await Task.Delay(Poll, ct).ConfigureAwait(false);
                if (DateTime.UtcNow - lastCheck > TimeSpan.FromSeconds(1))
                {
                    lastCheck = DateTime.UtcNow;
                    // One more pass reads what was written before the container exited.
                    running = (await FoamContainers.ResolveAsync(Engine, container.Id, ct).ConfigureAwait(false)).State == "running";
                }
            }
            splitter.Flush();
        }
    }
}
