using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests;

/// <summary>What azd reads: the AppHost's publish manifest (no app start, no container runtime needed), written once.</summary>
public sealed class ManifestFixture : IAsyncLifetime
{
    /// <summary>Values in the user's config file that must never appear in the manifest: it reaches azd only as a secret.</summary>
    public const string WebhookSecretInConfig = "SECRET-manifest-webhook-5120";
    public const string AdminKeyInConfig = "SECRET-manifest-admin-8841";

    private readonly KakaoAspire.TestSupport.TempDirectory _temp = new();

    public JsonObject Resources { get; private set; } = null!;

    public string Text { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var configuration = typeof(ManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var appHost = Path.Combine(RepositoryPaths.Root, "KakaoAspire.AppHost", "bin", configuration, "net10.0", "KakaoAspire.AppHost.dll");
        var manifestPath = _temp.File("manifest.json");
        // The seed's Quick Start config plus secrets, so the user's own ~/.moltbot.json plays no part.
        await File.WriteAllTextAsync(_temp.File("moltbot.json"),
            $$"""{ "channels": { "kakao": { "accounts": { "default": { "enabled": true, "webhookPort": 8788, "webhookPath": "/kakao/webhook", "dmPolicy": "open", "webhookSecret": "{{WebhookSecretInConfig}}", "adminKey": "{{AdminKeyInConfig}}" } } } } }""");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
        };
        foreach (var arg in new[] { appHost, "--publisher", "manifest", "--output-path", manifestPath,
            $"--Moltbot:StateDirectory={_temp.File("state")}", $"--Moltbot:ConfigPath={_temp.File("moltbot.json")}", "--Scale:Replicas=2" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, await output + await errors);

        Text = await File.ReadAllTextAsync(manifestPath);
        Resources = JsonNode.Parse(Text)!["resources"]!.AsObject();
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ManifestTests(ManifestFixture manifest) : IClassFixture<ManifestFixture>
{
    // The resource types azd accepts; an executable.v0 (a process Redis, a helper) makes `azd up` fail.
    private static readonly string[] AzdTypes =
        ["project.v0", "container.v0", "dockerfile.v0", "parameter.v0", "value.v0", "azure.bicep.v0", "annotated.string"];

    private static readonly string[] Services = ["agent-router", "edge", "friendtalk", "webhook"];

    private JsonObject Resources => manifest.Resources;

    [Fact]
    public void ThePublishManifestHoldsTheFourProjectsAndTheRedisContainerAndNothingAzdCannotDeploy()
    {
        var byType = Resources.ToDictionary(r => r.Key, r => r.Value!["type"]!.GetValue<string>());

        Assert.All(byType, r => Assert.Contains(r.Value, AzdTypes));
        Assert.Equal(Services, byType.Where(r => r.Value == "project.v0").Select(r => r.Key).Order().ToArray());
        Assert.Equal("container.v0", byType["redis"]);
        Assert.Equal(["redis"], byType.Where(r => r.Value == "container.v0").Select(r => r.Key).ToArray());
        Assert.Contains(byType, r => r.Key == "redis-password" && r.Value == "parameter.v0");
        // The edge is the one public service, on the webhook port.
        var edgeHttp = Resources["edge"]!["bindings"]!["http"]!;
        Assert.True(edgeHttp["external"]?.GetValue<bool>());
        Assert.Equal(8788, edgeHttp["targetPort"]!.GetValue<int>());
        Assert.All(Services.Where(s => s != "edge"), s => Assert.All(Resources[s]!["bindings"]!.AsObject(),
            b => Assert.NotEqual(true, b.Value!["external"]?.GetValue<bool>())));
    }

    [Theory]
    [InlineData("moltbot-config")]
    [InlineData("moltbot-gateway-token")]
    public void The_config_file_and_the_API_token_are_secret_parameters_azd_asks_for_with_no_value_in_the_manifest(string name)
    {
        var parameter = Resources[name]!;
        Assert.Equal("parameter.v0", parameter["type"]!.GetValue<string>());
        var input = parameter["inputs"]!["value"]!;
        Assert.True(input["secret"]!.GetValue<bool>());
        Assert.Null(input["default"]); // azd prompts or reads AZURE_MOLTBOT_CONFIG / AZURE_MOLTBOT_GATEWAY_TOKEN
    }

    [Fact]
    public void Every_service_runs_deployed_with_the_small_gen0_budget_it_was_measured_with()
    {
        foreach (var service in Services)
        {
            // A gen 0 budget sized from the host's CPU cache (about 16 MB here) kept 10-15 MB more per process at peak.
            Assert.Equal("0x400000", Resources[service]!["env"]!["DOTNET_GCgen0size"]?.GetValue<string>());
        }
    }

    [Fact]
    public void Every_service_reads_the_same_config_and_the_same_API_token_so_every_api_route_accepts_one_token()
    {
        foreach (var service in Services)
        {
            var env = Resources[service]!["env"]!;
            Assert.Equal("{moltbot-config.value}", env["MOLTBOT_CONFIG_JSON"]?.GetValue<string>());
            Assert.Equal("{moltbot-gateway-token.value}", env["MOLTBOT_GATEWAY_TOKEN"]?.GetValue<string>());
            // Local paths mean nothing in a container.
            Assert.Null(env["MOLTBOT_CONFIG_PATH"]);
        }
    }

    [Fact]
    public void No_secret_of_the_users_config_file_is_written_into_the_manifest()
    {
        Assert.DoesNotContain(ManifestFixture.WebhookSecretInConfig, manifest.Text);
        Assert.DoesNotContain(ManifestFixture.AdminKeyInConfig, manifest.Text);
        Assert.DoesNotContain("\"channels\"", manifest.Text);
    }

    [Fact]
    public void Redis_keeps_its_data_in_a_named_volume_with_the_append_only_file_on()
    {
        var redis = Resources["redis"]!;
        var volume = Assert.Single(redis["volumes"]!.AsArray())!;
        Assert.Equal("kakaoaspire-redis-data", volume["name"]!.GetValue<string>());
        Assert.Equal("/data", volume["target"]!.GetValue<string>());
        Assert.False(volume["readOnly"]!.GetValue<bool>());
        // One shell command line: the options must be inside it to reach redis-server.
        var command = redis["args"]!.AsArray().Select(a => a!.GetValue<string>()).Single(a => a.StartsWith("redis-server ", StringComparison.Ordinal));
        Assert.Contains("--appendonly yes", command);
        Assert.Contains("--save 60 1", command);
    }
}
