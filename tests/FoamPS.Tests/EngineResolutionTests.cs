using System;
using System.Collections.Generic;
using System.IO;
using FoamPS;
using FoamPS.Engine;
using Xunit;

namespace FoamPS.Tests
{
    /// <summary>How FoamPS chooses the engine and its TLS settings, with a fake environment and a temporary docker config.</summary>
    public sealed class EngineResolutionTests : IDisposable
    {
        private readonly string _config = Path.Combine(Path.GetTempPath(), "foamps-ctx-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();

        public EngineResolutionTests() { Directory.CreateDirectory(_config); _env["DOCKER_CONFIG"] = _config; }

        public void Dispose() { try { Directory.Delete(_config, true); } catch (IOException) { } }

        private string? Env(string name) => _env.TryGetValue(name, out var v) ? v : null;

        private DockerEndpoint Resolve(EngineOptions? options = null) => DockerEndpoint.Resolve(options ?? new EngineOptions(), Env);

        /// <summary>Writes a context the way 'docker context create' lays it out.</summary>
        private void WriteContext(string name, string host, bool skipVerify = false, bool withTls = false)
        {
            var hash = DockerContexts.DirectoryName(name);
            var meta = Path.Combine(_config, "contexts", "meta", hash);
            Directory.CreateDirectory(meta);
            File.WriteAllText(Path.Combine(meta, "meta.json"),
                "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\",\"SkipTLSVerify\":" + (skipVerify ? "true" : "false") + "}}}");
            if (withTls) Directory.CreateDirectory(Path.Combine(_config, "contexts", "tls", hash, "docker"));
        }

        [Fact]
        public void Context_directory_is_the_sha256_of_the_name_like_the_docker_cli()
        {
            // sha256("default") as printed by: printf default | sha256sum
            Assert.Equal("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f", DockerContexts.DirectoryName("default"));
        }

        [Fact]
        public void Nothing_set_means_the_platform_default()
        {
            var e = Resolve();
            Assert.Equal(DockerEndpoint.Default, e);
            Assert.Null(e.Tls);
            Assert.Equal("default", e.Source);
        }

        [Fact]
        public void Docker_host_from_the_environment_without_tls()
        {
            _env["DOCKER_HOST"] = "tcp://bigbox:2375";
            var e = Resolve();
            Assert.Equal("tcp://bigbox:2375", e.ToString());
            Assert.Null(e.Tls);
            Assert.Equal("DOCKER_HOST", e.Source);
            Assert.False(e.IsLocal);
        }

        [Fact]
        public void Docker_tls_verify_and_cert_path_turn_on_verified_tls()
        {
            _env["DOCKER_HOST"] = "bigbox:2376";
            _env["DOCKER_TLS_VERIFY"] = "1";
            _env["DOCKER_CERT_PATH"] = "/certs/bigbox";
            var e = Resolve();
            Assert.NotNull(e.Tls);
            Assert.True(e.Tls!.Verify);
            Assert.Equal(Path.GetFullPath("/certs/bigbox"), e.Tls.CertPath);
        }

        [Fact]
        public void Tls_without_cert_path_looks_in_the_docker_config_directory()
        {
            _env["DOCKER_HOST"] = "tcp://bigbox:2376";
            _env["DOCKER_TLS_VERIFY"] = "1";
            Assert.Equal(Path.GetFullPath(_config), Resolve().Tls!.CertPath);
        }

        [Fact]
        public void Parameter_beats_environment_and_skip_verify_is_only_when_asked()
        {
            _env["DOCKER_HOST"] = "tcp://other:2375";
            var e = Resolve(new EngineOptions { DockerHost = "tcp://bigbox:2376", TlsCertPath = "/c", TlsSkipVerify = true });
            Assert.Equal("tcp://bigbox:2376", e.ToString());
            Assert.Equal("-DockerHost", e.Source);
            Assert.False(e.Tls!.Verify);
        }

        [Fact]
        public void Unix_socket_never_gets_tls()
        {
            _env["DOCKER_TLS_VERIFY"] = "1";
            var e = Resolve(new EngineOptions { DockerHost = "unix:///var/run/docker.sock" });
            Assert.Null(e.Tls);
        }

        [Fact]
        public void Context_parameter_beats_docker_host_and_brings_its_certificates()
        {
            WriteContext("bigbox", "tcp://bigbox:2376", withTls: true);
            _env["DOCKER_HOST"] = "tcp://other:2375";
            var e = Resolve(new EngineOptions { Context = "bigbox" });
            Assert.Equal("tcp://bigbox:2376", e.ToString());
            Assert.Equal("bigbox", e.Context);
            Assert.True(e.Tls!.Verify);
            Assert.Equal(Path.Combine(_config, "contexts", "tls", DockerContexts.DirectoryName("bigbox"), "docker"), e.Tls.CertPath);
        }

        [Fact]
        public void Context_with_skip_tls_verify_does_not_verify()
        {
            WriteContext("lab", "tcp://lab:2376", skipVerify: true, withTls: true);
            Assert.False(Resolve(new EngineOptions { Context = "lab" }).Tls!.Verify);
        }

        [Fact]
        public void Current_context_from_config_json_and_docker_context_overrides_it()
        {
            WriteContext("one", "tcp://one:2375");
            WriteContext("two", "tcp://two:2375");
            File.WriteAllText(Path.Combine(_config, "config.json"), "{\"auths\":{},\"currentContext\":\"one\"}");
            Assert.Equal("tcp://one:2375", Resolve().ToString());
            _env["DOCKER_CONTEXT"] = "two";
            Assert.Equal("tcp://two:2375", Resolve().ToString());
            _env["DOCKER_HOST"] = "tcp://three:2375";
            Assert.Equal("tcp://three:2375", Resolve().ToString());
        }

        [Fact]
        public void Context_named_default_is_the_platform_default()
        {
            File.WriteAllText(Path.Combine(_config, "config.json"), "{\"currentContext\":\"default\"}");
            Assert.Equal(DockerEndpoint.Default, Resolve());
        }

        [Fact]
        public void Unknown_context_is_context_not_found()
        {
            var e = Assert.Throws<FoamArgumentException>(() => Resolve(new EngineOptions { Context = "nosuch" }));
            Assert.Equal(ErrorIds.ContextNotFound, e.ErrorId);
            Assert.Equal(FoamErrorKind.ObjectNotFound, e.Kind);
        }

        [Theory]
        [InlineData("https://proxy:443", 443)]
        [InlineData("http://proxy:80", 80)]
        [InlineData("https://proxy", 2376)]
        [InlineData("tcp://bigbox", 2375)]
        [InlineData("[::1]:2376", 2376)]
        public void Written_ports_are_kept_and_missing_ones_get_the_docker_defaults(string host, int port)
        {
            Assert.Equal(port, DockerEndpoint.Parse(host).Uri.Port);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"Name\":\"odd\",\"Endpoints\":null}")]
        [InlineData("{\"Name\":\"odd\",\"Endpoints\":{\"docker\":\"tcp://x:1\"}}")]
        public void A_context_with_odd_metadata_is_a_clear_error_and_does_not_break_completion(string json)
        {
            var meta = Path.Combine(_config, "contexts", "meta", DockerContexts.DirectoryName("odd"));
            Directory.CreateDirectory(meta);
            File.WriteAllText(Path.Combine(meta, "meta.json"), json);
            var e = Assert.Throws<FoamArgumentException>(() => Resolve(new EngineOptions { Context = "odd" }));
            Assert.Equal(ErrorIds.InvalidDockerHost, e.ErrorId);
            Assert.Contains("default", DockerContexts.List(_config));
        }

        [Fact]
        public void Unreadable_config_json_is_ignored()
        {
            File.WriteAllText(Path.Combine(_config, "config.json"), "{ not json");
            Assert.Equal(DockerEndpoint.Default, Resolve());
        }

        [Fact]
        public void Host_and_context_together_conflict()
        {
            var e = Assert.Throws<FoamArgumentException>(() => Resolve(new EngineOptions { DockerHost = "tcp://a:1", Context = "b" }));
            Assert.Equal(ErrorIds.ParameterConflict, e.ErrorId);
        }

        [Fact]
        public void Same_host_with_different_tls_is_a_different_connection()
        {
            var plain = Resolve(new EngineOptions { DockerHost = "tcp://bigbox:2376" });
            var tls = Resolve(new EngineOptions { DockerHost = "tcp://bigbox:2376", TlsCertPath = "/c" });
            var tls2 = Resolve(new EngineOptions { DockerHost = "bigbox:2376", TlsCertPath = "/c" });
            Assert.NotEqual(plain, tls);
            Assert.Equal(tls, tls2);
        }

        [Theory]
        [InlineData("tcp://bigbox:2376", FoamPS.Runner.CaseTransfer.Auto, true)]
        [InlineData("tcp://127.0.0.1:2376", FoamPS.Runner.CaseTransfer.Auto, false)]
        [InlineData("tcp://localhost:2376", FoamPS.Runner.CaseTransfer.Auto, false)]
        [InlineData("unix:///var/run/docker.sock", FoamPS.Runner.CaseTransfer.Auto, false)]
        [InlineData("unix:///var/run/docker.sock", FoamPS.Runner.CaseTransfer.Copy, true)]
        [InlineData("tcp://bigbox:2376", FoamPS.Runner.CaseTransfer.Bind, false)]
        public void Auto_copies_exactly_when_the_engine_cannot_see_this_machine(string host, FoamPS.Runner.CaseTransfer transfer, bool copies)
        {
            var spec = new FoamPS.Runner.RunSpec { CasePath = "/cases/cavity", Command = "blockMesh", Endpoint = DockerEndpoint.Parse(host), Transfer = transfer };
            Assert.Equal(copies, spec.CopiesCase);
        }

        [Fact]
        public void Context_list_has_default_and_the_stored_names()
        {
            WriteContext("zeta", "tcp://z:1");
            WriteContext("alpha", "tcp://a:1");
            Assert.Equal(new[] { "alpha", "default", "zeta" }, DockerContexts.List(_config));
        }
    }
}
