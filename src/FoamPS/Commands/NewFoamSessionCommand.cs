using System.Management.Automation;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Starts a warm container on a case, for many short commands through Invoke-FoamCommand -Session.</summary>
    [Cmdlet(VerbsCommon.New, "FoamSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FoamSession))]
    public sealed class NewFoamSessionCommand : FoamCmdlet
    {
        /// <summary>The case directory the session works on (default: the current directory).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath", "Case")]
        public string Path { get; set; } = ".";

        /// <summary>The image (default: $env:FOAMPS_IMAGE, else opencfd/openfoam-default:latest).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string? Image { get; set; }

        /// <summary>uid[:gid] the session's commands run as (default: the host user's on Linux and macOS).</summary>
        [Parameter]
        public string? User { get; set; }

        /// <summary>The network the session joins (default: none), e.g. one from New-FoamNetwork, so other containers reach it by name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkCompleter))]
        public string Network { get; set; } = "none";

        protected override void ProcessRecord()
        {
            var casePath = System.IO.Path.GetFullPath(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path))
                .TrimEnd(System.IO.Path.DirectorySeparatorChar);
            var spec = new RunSpec { CasePath = casePath, Command = "session", Image = Image ?? FoamDefaults.Image, User = User, Endpoint = ResolveEndpoint(), Network = Network };
            try { spec.Validate(); }
            catch (FoamException e) { ThrowTerminatingError(ToErrorRecord(e)); }
            if (!ShouldProcess(casePath, $"Start a session in {spec.Image}")) return;
            var observer = new RunProgressObserver(this, spec, false);
            RunAsync(async ct => PostObject(await FoamRunner.StartSessionAsync(spec, observer, ct).ConfigureAwait(false)));
        }
    }
}
