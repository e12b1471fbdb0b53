using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FoamPS.Engine;

namespace FoamPS.Commands
{
    /// <summary>Describes engines for Test-FoamEngine and Get-FoamEngine.</summary>
    internal static class FoamEngines
    {
        public static FoamEngine Blank(DockerEndpoint endpoint) => new FoamEngine
        {
            Endpoint = endpoint.ToString(),
            Source = endpoint.Source,
            Context = endpoint.Context,
            Tls = endpoint.Tls != null,
            TlsVerify = endpoint.Tls?.Verify ?? false,
            IsLocal = endpoint.IsLocal,
        };

        /// <summary>Pings (within the connect timeout), then reads /info and /version.</summary>
        /// <remarks><paramref name="endpoint"/> is this cmdlet's (how it was chosen); the shared client may have been made from another choice of the same engine.</remarks>
        public static async Task<FoamEngine> DescribeAsync(DockerEndpoint endpoint, CancellationToken ct)
        {
            var engine = EngineClient.For(endpoint);
            var result = Blank(endpoint);
            await engine.PingAsync(ct).ConfigureAwait(false);
            // The response time of a ping alone (the first one may also have connected and cleaned up).
            var clock = Stopwatch.StartNew();
            await engine.PingAsync(ct).ConfigureAwait(false);
            result.ResponseTime = clock.Elapsed;
            result.Reachable = true;
            try
            {
                var info = await engine.Docker.System.GetSystemInfoAsync(ct).ConfigureAwait(false);
                var version = await engine.Docker.System.GetVersionAsync(ct).ConfigureAwait(false);
                result.Name = info.Name;
                result.EngineVersion = version.Version ?? info.ServerVersion;
                result.ApiVersion = version.APIVersion;
                result.OperatingSystem = info.OperatingSystem;
                result.OSType = info.OSType ?? version.Os;
                result.Architecture = info.Architecture ?? version.Arch;
                result.KernelVersion = info.KernelVersion ?? version.KernelVersion;
                result.Cpus = (int)info.NCPU;
                result.MemoryBytes = info.MemTotal;
                result.CgroupVersion = info.CgroupVersion;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw ErrorTranslation.Translate(e, engine.Endpoint, "describe itself");
            }
            return result;
        }
    }

    /// <summary>Tests whether the Docker engine answers; unreachable engines are a result with Reachable = $false and the reason.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "FoamEngine")]
    [OutputType(typeof(FoamEngine), typeof(bool))]
    public sealed class TestFoamEngineCommand : FoamCmdlet
    {
        /// <summary>Output only $true or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var endpoint = ResolveEndpoint();
            var result = RunAsync(async ct =>
            {
                try
                {
                    return await FoamEngines.DescribeAsync(endpoint, ct).ConfigureAwait(false);
                }
                catch (FoamException e) when (e.Kind == FoamErrorKind.ConnectionError || e.Kind == FoamErrorKind.SecurityError)
                {
                    var failed = FoamEngines.Blank(endpoint);
                    failed.Reason = e.Message;
                    failed.ErrorId = e.ErrorId;
                    return failed;
                }
            });
            if (Quiet) WriteObject(result.Reachable);
            else WriteObject(result);
        }
    }

    /// <summary>Describes the Docker engine; an unreachable engine is an error (EngineUnreachable, TlsHandshakeFailed...).</summary>
    [Cmdlet(VerbsCommon.Get, "FoamEngine")]
    [OutputType(typeof(FoamEngine))]
    public sealed class GetFoamEngineCommand : FoamCmdlet
    {
        protected override void ProcessRecord()
        {
            var endpoint = ResolveEndpoint();
            WriteObject(RunAsync(ct => FoamEngines.DescribeAsync(endpoint, ct)));
        }
    }
}
