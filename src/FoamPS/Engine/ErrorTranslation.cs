using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Docker.DotNet;

namespace FoamPS.Engine
{
    /// <summary>Turns Docker.DotNet and transport exceptions into FoamPS exceptions.</summary>
    public static class ErrorTranslation
    {
        /// <summary>True when <paramref name="e"/> means the engine could not be reached (or went away).</summary>
        public static bool IsConnectionFailure(Exception e)
        {
            for (var x = e; x != null; x = x.InnerException)
            {
                if (x is SocketException || x is HttpRequestException || x is IOException || x is TimeoutException)
                    return true;
            }
            return false;
        }

        /// <summary>True when the TLS handshake failed (untrusted server certificate, refused client certificate...).</summary>
        public static bool IsTlsFailure(Exception e)
        {
            for (var x = e; x != null; x = x.InnerException)
            {
                if (x is System.Security.Authentication.AuthenticationException) return true;
                // A server that wanted a client certificate and got none closes the handshake with an alert.
                if (x.Message.IndexOf("SSL", StringComparison.OrdinalIgnoreCase) >= 0 ||
                    x.Message.IndexOf("TLS", StringComparison.Ordinal) >= 0 ||
                    x.Message.IndexOf("certificate", StringComparison.OrdinalIgnoreCase) >= 0)
                    return true;
            }
            return false;
        }

        public static FoamException TlsFailure(DockerEndpoint endpoint, Exception e) =>
            new FoamException(ErrorIds.TlsHandshakeFailed, FoamErrorKind.SecurityError,
                $"The TLS handshake with the Docker engine at {endpoint} failed ({Describe(e)}). " +
                (endpoint.Tls is null
                    ? "The engine speaks TLS: give -TlsCertPath (or set $env:DOCKER_TLS_VERIFY and $env:DOCKER_CERT_PATH)."
                    : $"Check that {endpoint.Tls.CertPath} holds the CA that signed the engine's certificate (ca.pem) and a client certificate the engine trusts (cert.pem, key.pem)."),
                endpoint.ToString(), e);

        /// <summary>The engine answered a plain HTTP request with "Client sent an HTTP request to an HTTPS server".</summary>
        public static bool IsPlainHttpToTls(DockerApiException e) =>
            e.StatusCode == HttpStatusCode.BadRequest && (e.ResponseBody ?? "").IndexOf("HTTPS", StringComparison.OrdinalIgnoreCase) >= 0;

        public static FoamException TlsRequired(DockerEndpoint endpoint, Exception e) =>
            new FoamException(ErrorIds.TlsRequired, FoamErrorKind.SecurityError,
                $"The Docker engine at {endpoint} only speaks TLS, and FoamPS connected without it. " +
                "Give -TlsCertPath <dir with ca.pem, cert.pem, key.pem>, or set $env:DOCKER_TLS_VERIFY=1 and $env:DOCKER_CERT_PATH.",
                endpoint.ToString(), e);

        /// <summary>The innermost useful message of an exception chain.</summary>
        public static string Describe(Exception e)
        {
            var x = e;
            while (x.InnerException != null) x = x.InnerException;
            return x.Message.TrimEnd('.');
        }

        /// <summary>
        /// Wraps what a Docker call threw. FoamPS exceptions and cancellation pass through unchanged.
        /// </summary>
        public static Exception Translate(Exception e, DockerEndpoint endpoint, string doing)
        {
            switch (e)
            {
                case FoamException _:
                case OperationCanceledException _:
                    return e;
                case DockerApiException plain when IsPlainHttpToTls(plain):
                    return TlsRequired(endpoint, e);
                case DockerApiException api:
                    var body = ApiMessage(api.ResponseBody);
                    var kind = api.StatusCode switch
                    {
                        HttpStatusCode.NotFound => FoamErrorKind.ObjectNotFound,
                        HttpStatusCode.Conflict => FoamErrorKind.ResourceUnavailable,
                        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => FoamErrorKind.PermissionDenied,
                        HttpStatusCode.BadRequest => FoamErrorKind.InvalidArgument,
                        _ => FoamErrorKind.NotSpecified,
                    };
                    return new FoamException(ErrorIds.EngineError, kind,
                        $"The Docker engine at {endpoint} refused to {doing}: {body}", endpoint.ToString(), e);
                default:
                    if (IsTlsFailure(e)) return TlsFailure(endpoint, e);
                    if (IsConnectionFailure(e))
                        return new FoamEngineUnreachableException(endpoint.ToString(),
                            $"the connection failed while trying to {doing} ({Describe(e)})", e);
                    return new FoamException(ErrorIds.EngineError, FoamErrorKind.NotSpecified,
                        $"Could not {doing} on the Docker engine at {endpoint}: {e.Message}", endpoint.ToString(), e);
            }
        }

        /// <summary>The "message" of an engine error body ({"message":"..."}), else the body.</summary>
        public static string ApiMessage(string? body)
        {
            if (string.IsNullOrWhiteSpace(body)) return "(no message)";
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(body!);
                if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                    doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.String)
                    return m.GetString()!.Trim();
            }
            catch (System.Text.Json.JsonException) { }
            return body!.Trim();
        }
    }
}
