using System;

namespace FoamPS
{
    /// <summary>A Docker engine as FoamPS sees it (FoamPS.FoamEngine), from Test-FoamEngine and Get-FoamEngine.</summary>
    public sealed class FoamEngine
    {
        /// <summary>The endpoint as users write it: unix:///var/run/docker.sock, tcp://host:port...</summary>
        public string Endpoint { get; set; } = "";

        /// <summary>How the endpoint was chosen: -DockerHost, DOCKER_HOST, "context NAME" or default.</summary>
        public string Source { get; set; } = "";

        public string? Context { get; set; }

        /// <summary>True when the connection uses TLS.</summary>
        public bool Tls { get; set; }

        /// <summary>True when TLS verifies the engine's certificate (false with -TlsSkipVerify).</summary>
        public bool TlsVerify { get; set; }

        public bool Reachable { get; set; }

        /// <summary>Why the engine is not reachable (empty when it is).</summary>
        public string? Reason { get; set; }

        /// <summary>The ErrorId the failure would have had (EngineUnreachable, TlsHandshakeFailed, TlsRequired...).</summary>
        public string? ErrorId { get; set; }

        /// <summary>How long the engine took to answer /_ping.</summary>
        public TimeSpan? ResponseTime { get; set; }

        /// <summary>The engine's host name.</summary>
        public string? Name { get; set; }

        public string? EngineVersion { get; set; }
        public string? ApiVersion { get; set; }

        /// <summary>The operating system the engine runs on ("Debian GNU/Linux 12 (bookworm)", "Docker Desktop").</summary>
        public string? OperatingSystem { get; set; }

        /// <summary>linux or windows: the kind of containers it runs.</summary>
        public string? OSType { get; set; }

        public string? Architecture { get; set; }
        public string? KernelVersion { get; set; }
        public int? Cpus { get; set; }
        public long? MemoryBytes { get; set; }

        /// <summary>"1" or "2" (cgroup v2 reports memory without the page cache differently).</summary>
        public string? CgroupVersion { get; set; }

        /// <summary>True when the engine can see this machine's paths (unix socket, named pipe, loopback address): -CaseTransfer Auto then bind-mounts.</summary>
        public bool IsLocal { get; set; }

        public override string ToString() => Endpoint;
    }
}
