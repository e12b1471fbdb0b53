using System;
using System.Collections.Generic;

namespace FoamPS
{
    /// <summary>Stable ErrorIds of FoamPS. Scripts and tests match on these; never rename one.</summary>
    public static class ErrorIds
    {
        public const string CaseNotFound = "CaseNotFound";
        public const string CaseNotDirectory = "CaseNotDirectory";
        public const string CaseNotFileSystem = "CaseNotFileSystem";
        public const string CommandEmpty = "CommandEmpty";
        public const string InvalidImageReference = "InvalidImageReference";
        public const string InvalidUser = "InvalidUser";
        public const string InvalidEnvironment = "InvalidEnvironment";
        public const string InvalidDockerHost = "InvalidDockerHost";
        public const string ImageNotFound = "ImageNotFound";
        public const string EngineUnreachable = "EngineUnreachable";
        public const string EngineError = "EngineError";
        public const string OpenFoamEnvironmentNotFound = "OpenFoamEnvironmentNotFound";
        public const string BashRcNotFound = "BashRcNotFound";
        public const string LogNotWritable = "LogNotWritable";
        public const string CommandFailed = "CommandFailed";
        public const string ContainerNotFound = "ContainerNotFound";
        public const string ContainerRunning = "ContainerRunning";
        public const string WaitTimeout = "WaitTimeout";
        public const string LogOutsideCase = "LogOutsideCase";
        public const string LogNotFound = "LogNotFound";
        public const string RegistryAuthenticationFailed = "RegistryAuthenticationFailed";
        public const string RegistryUnreachable = "RegistryUnreachable";
        public const string ImagePullFailed = "ImagePullFailed";
        public const string NoResiduals = "NoResiduals";
        public const string TutorialNotFound = "TutorialNotFound";
        public const string UnexpectedError = "UnexpectedError";
        public const string InvalidMemory = "InvalidMemory";
        public const string InvalidCpus = "InvalidCpus";
        public const string InvalidCpuset = "InvalidCpuset";
        public const string InvalidParallel = "InvalidParallel";
        public const string InvalidThrottleLimit = "InvalidThrottleLimit";
        public const string ParallelMismatch = "ParallelMismatch";
        public const string SessionNotFound = "SessionNotFound";
        public const string OutOfMemory = "OutOfMemory";
        public const string ParameterConflict = "ParameterConflict";
        public const string SessionCaseMismatch = "SessionCaseMismatch";
        public const string DestinationExists = "DestinationExists";
        public const string PlotNotWritable = "PlotNotWritable";
        public const string InvalidInputObject = "InvalidInputObject";
        public const string ContextNotFound = "ContextNotFound";
        public const string TlsCertificateNotFound = "TlsCertificateNotFound";
        public const string TlsHandshakeFailed = "TlsHandshakeFailed";
        public const string TlsRequired = "TlsRequired";
        public const string InvalidCaseTransfer = "InvalidCaseTransfer";
        public const string CaseTransferFailed = "CaseTransferFailed";
        public const string NetworkNotFound = "NetworkNotFound";
        public const string NetworkExists = "NetworkExists";
        public const string NetworkInUse = "NetworkInUse";
        public const string InvalidNetworkName = "InvalidNetworkName";
    }

    /// <summary>
    /// What kind of failure an error is. The runner knows nothing of PowerShell, so the cmdlets
    /// map these onto ErrorCategory (same names).
    /// </summary>
    public enum FoamErrorKind
    {
        NotSpecified,
        ObjectNotFound,
        InvalidArgument,
        ConnectionError,
        OperationStopped,
        PermissionDenied,
        ResourceUnavailable,
        InvalidResult,
        WriteError,
        OperationTimeout,
        InvalidOperation,
        InvalidData,
        ResourceExists,
        SecurityError,
    }

    /// <summary>Base of every exception FoamPS throws: carries its stable ErrorId and kind.</summary>
    public class FoamException : Exception
    {
        public FoamException(string errorId, FoamErrorKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>The stable ErrorId (see <see cref="ErrorIds"/>).</summary>
        public string ErrorId { get; }

        /// <summary>The category of the failure.</summary>
        public FoamErrorKind Kind { get; }

        /// <summary>What the error is about: a case path, an image, an endpoint.</summary>
        public object? Target { get; }
    }

    /// <summary>An argument that cannot work, found before anything was sent to the engine.</summary>
    public sealed class FoamArgumentException : FoamException
    {
        public FoamArgumentException(string errorId, string message, object? target, FoamErrorKind kind = FoamErrorKind.InvalidArgument)
            : base(errorId, kind, message, target) { }
    }

    /// <summary>The image is not present on the engine.</summary>
    public sealed class FoamImageNotFoundException : FoamException
    {
        public FoamImageNotFoundException(string image, string endpoint)
            : base(ErrorIds.ImageNotFound, FoamErrorKind.ObjectNotFound,
                $"Image '{image}' is not present on the Docker engine at {endpoint}. " +
                $"Run 'Update-FoamImage -Image {image}' (or 'docker pull {image}') first, or pick a local image with -Image.",
                image)
        {
            Image = image;
        }

        /// <summary>Not present, with the whole story told by the caller (a failed pull, local names it may have meant).</summary>
        public FoamImageNotFoundException(string image, string message, Exception? inner)
            : base(ErrorIds.ImageNotFound, FoamErrorKind.ObjectNotFound, message, image, inner)
        {
            Image = image;
        }

        /// <summary>The image is not in its registry either (a pull found nothing).</summary>
        public FoamImageNotFoundException(string image, string registry, string engineMessage)
            : base(ErrorIds.ImageNotFound, FoamErrorKind.ObjectNotFound,
                $"Image '{image}' was not found in the registry {registry}: {engineMessage}. Check the repository name and the tag.",
                image)
        {
            Image = image;
        }

        public string Image { get; }
    }

    /// <summary>No Docker engine answered at the endpoint.</summary>
    public sealed class FoamEngineUnreachableException : FoamException
    {
        public FoamEngineUnreachableException(string endpoint, string reason, Exception? inner = null)
            : base(ErrorIds.EngineUnreachable, FoamErrorKind.ConnectionError,
                $"No Docker engine answered at {endpoint}: {reason}. Start Docker (or check -DockerHost, -Context, $env:DOCKER_HOST) and try again.",
                endpoint, inner)
        {
            Endpoint = endpoint;
        }

        public string Endpoint { get; }
    }

    /// <summary>The image has no OpenFOAM environment script where FoamPS looked (or where -BashRc said).</summary>
    public sealed class FoamEnvironmentNotFoundException : FoamException
    {
        public FoamEnvironmentNotFoundException(string errorId, string image, string message)
            : base(errorId, FoamErrorKind.ObjectNotFound, message, image) { }
    }

    /// <summary>The command ran and exited with a non-zero code.</summary>
    public sealed class FoamCommandFailedException : FoamException
    {
        public FoamCommandFailedException(string message, object target, long exitCode, string? logPath,
            IReadOnlyList<string> lastLines, string? fatalError, bool outOfMemory = false)
            : base(outOfMemory ? ErrorIds.OutOfMemory : ErrorIds.CommandFailed,
                outOfMemory ? FoamErrorKind.ResourceUnavailable : FoamErrorKind.InvalidResult, message, target)
        {
            ExitCode = exitCode;
            LogPath = logPath;
            LastLines = lastLines;
            FatalError = fatalError;
        }

        public long ExitCode { get; }
        public string? LogPath { get; }
        public IReadOnlyList<string> LastLines { get; }

        /// <summary>The text of the last "FOAM FATAL ERROR" block, when the log has one.</summary>
        public string? FatalError { get; }

        /// <summary>What happened, in a line or two.</summary>
        public string Summary { get; set; } = "";
    }
}
