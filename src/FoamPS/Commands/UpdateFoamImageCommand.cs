using System;
using System.Management.Automation;
using FoamPS.Engine;
using FoamPS.Runner;

namespace FoamPS.Commands
{
    /// <summary>Pulls OpenFOAM images with live per-layer progress and emits a FoamImage for each.</summary>
    [Cmdlet(VerbsData.Update, "FoamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FoamImage))]
    public sealed class UpdateFoamImageCommand : FoamCmdlet
    {
        /// <summary>Image references (default: $env:FOAMPS_IMAGE, else opencfd/openfoam-default:latest); also objects with an Image property.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Reference")]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string[]? Image { get; set; }

        /// <summary>Registry credentials (default: what the docker CLI stored in config.json for that registry).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var reference in Image ?? new[] { FoamDefaults.Image })
            {
                if (!ImageReference.IsValid(reference))
                {
                    try { ImageReference.Validate(reference); }
                    catch (FoamException e) { WriteError(ToErrorRecord(e)); }
                    continue;
                }
                if (!ShouldProcess(reference, "Pull image")) continue;
                Pull(reference);
            }
        }

        private void Pull(string reference)
        {
            var registry = ImageReference.Registry(ImageReference.WithDefaultTag(reference));
            var credentials = Credential != null
                ? RegistryAuth.ForExplicit(registry, Credential.UserName, Credential.GetNetworkCredential().Password)
                : RegistryAuth.FromDockerConfig(registry);
            if (credentials.Warning != null) WriteWarning(credentials.Warning);
            WriteVerbose($"Pulling {reference} from {registry}; credentials: {credentials.Source}.");

            var progress = new PullProgress(this, reference);
            RunAsync(async ct =>
            {
                try
                {
                    var engine = Engine;
                    await engine.PingAsync(ct).ConfigureAwait(false);
                    var digest = await ImagePuller.PullAsync(engine, reference, credentials.Auth, progress, ct).ConfigureAwait(false);
                    progress.Completed();
                    var image = await FoamImages.DescribeAsync(engine, ImageReference.WithDefaultTag(reference), reference, ct).ConfigureAwait(false)
                        ?? throw new FoamImageNotFoundException(reference, engine.Endpoint.ToString());
                    image.Digest ??= digest;
                    PostObject(image);
                }
                catch (FoamException e) when (e.ErrorId is ErrorIds.ImageNotFound or ErrorIds.RegistryAuthenticationFailed
                                                  or ErrorIds.RegistryUnreachable or ErrorIds.ImagePullFailed)
                {
                    progress.Completed();
                    PostError(e);
                }
                catch
                {
                    progress.Completed();
                    throw;
                }
            });
        }
    }
}
