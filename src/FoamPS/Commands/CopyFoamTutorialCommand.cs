using System;
using System.IO;
using System.Management.Automation;
using FoamPS.Engine;
using FoamPS.Foam;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Copies a tutorial case out of an OpenFOAM image (through the engine, no bind mount) into a new directory.</summary>
    [Cmdlet(VerbsCommon.Copy, "FoamTutorial", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(DirectoryInfo))]
    public sealed class CopyFoamTutorialCommand : FoamCmdlet
    {
        /// <summary>The tutorial's path under the tutorials folder, e.g. incompressible/icoFoam/cavity/cavity.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(TutorialNameCompleter))]
        public string Name { get; set; } = "";

        /// <summary>The new case directory (default: the tutorial's last name, in the current directory).</summary>
        [Parameter(Position = 1)]
        public string? Destination { get; set; }

        /// <summary>The image (default: $env:FOAMPS_IMAGE, else opencfd/openfoam-default:latest).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string? Image { get; set; }

        /// <summary>Replace an existing destination.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            var name = Name.Replace('\\', '/').Trim().Trim('/');
            if (name.Length == 0 || name.Split('/') is var parts && Array.Exists(parts, p => p == ".." || p == "."))
            {
                ThrowTerminatingError(ToErrorRecord(new FoamArgumentException(ErrorIds.TutorialNotFound,
                    $"'{Name}' is not a tutorial name: give a path under the tutorials folder, e.g. incompressible/icoFoam/cavity/cavity.", Name)));
            }
            var image = Image ?? FoamDefaults.Image;
            var destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination ?? name.Substring(name.LastIndexOf('/') + 1));
            if ((Directory.Exists(destination) || File.Exists(destination)) && !Force)
            {
                WriteError(ToErrorRecord(new FoamException(ErrorIds.DestinationExists, FoamErrorKind.ResourceExists,
                    $"'{destination}' exists already. Choose another -Destination, or use -Force to replace it.", destination)));
                return;
            }
            if (!ShouldProcess(destination, $"Copy tutorial {name} from {image}")) return;

            // Into a new sibling first: an existing destination is only replaced once the copy succeeded.
            var staging = destination.TrimEnd(Path.DirectorySeparatorChar) + ".foamps-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            var observer = new VerboseObserver(this);
            try
            {
                RunAsync(async ct =>
                {
                    ImageReference.Validate(image);
                    var engine = Engine;
                    await engine.PingAsync(ct).ConfigureAwait(false);
                    await Tutorials.CopyAsync(engine, image, name, staging, observer, ct).ConfigureAwait(false);
                });
                if (Directory.Exists(destination)) Directory.Delete(destination, true);
                else if (File.Exists(destination)) File.Delete(destination);
                Directory.Move(staging, destination);
                WriteObject(this.AsItem(new DirectoryInfo(destination)));
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, true);
            }
        }

        /// <summary>Runner events as verbose lines.</summary>
        private sealed class VerboseObserver : IRunObserver
        {
            private readonly FoamCmdlet _cmdlet;
            public VerboseObserver(FoamCmdlet cmdlet) { _cmdlet = cmdlet; }
            public bool WantsLines => false;
            public void Line(string line) { }
            public void Status(SolverStatus status) { }
            public void Verbose(string message) => _cmdlet.PostVerbose(message);
            public void Warning(string message) => _cmdlet.PostWarning(message);
            public IPullObserver Pulling(string reference) => new PullProgress(_cmdlet, reference);
        }
    }
}
