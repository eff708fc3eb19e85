using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests;

/// <summary>What azd reads: the AppHost's publish manifest (no app start, no container runtime needed).</summary>
public sealed class ManifestTests
{
    // The resource types azd accepts; an executable.v0 (a process Redis, a helper) makes `azd up` fail.
    private static readonly string[] AzdTypes =
        ["project.v0", "container.v0", "dockerfile.v0", "parameter.v0", "value.v0", "azure.bicep.v0", "annotated.string"];

    [Fact]
    public async Task ThePublishManifestHoldsTheFourProjectsAndTheRedisContainerAndNothingAzdCannotDeploy()
    {
        using var temp = new KakaoAspire.TestSupport.TempDirectory();
        var configuration = typeof(ManifestTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var appHost = Path.Combine(RepositoryPaths.Root, "KakaoAspire.AppHost", "bin", configuration, "net10.0", "KakaoAspire.AppHost.dll");
        var manifestPath = temp.File("manifest.json");
        // The seed's Quick Start config, so the user's own ~/.moltbot.json plays no part.
        await File.WriteAllTextAsync(temp.File("moltbot.json"),
            """{ "channels": { "kakao": { "accounts": { "default": { "enabled": true, "webhookPort": 8788, "webhookPath": "/kakao/webhook", "dmPolicy": "open" } } } } }""");

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost)!,
        };
        foreach (var arg in new[] { appHost, "--publisher", "manifest", "--output-path", manifestPath, $"--Moltbot:StateDirectory={temp.File("state")}", $"--Moltbot:ConfigPath={temp.File("moltbot.json")}" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, await output + await errors);

        var resources = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!["resources"]!.AsObject();
        var byType = resources.ToDictionary(r => r.Key, r => r.Value!["type"]!.GetValue<string>());

        Assert.All(byType, r => Assert.Contains(r.Value, AzdTypes));
        Assert.Equal(
            ["agent-router", "edge", "friendtalk", "webhook"],
            byType.Where(r => r.Value == "project.v0").Select(r => r.Key).Order().ToArray());
        Assert.Equal("container.v0", byType["redis"]);
        Assert.Equal(["redis"], byType.Where(r => r.Value == "container.v0").Select(r => r.Key).ToArray());
        Assert.Contains(byType, r => r.Key == "redis-password" && r.Value == "parameter.v0");
        // The edge is the one public service, on the webhook port.
        var edgeHttp = resources["edge"]!["bindings"]!["http"]!;
        Assert.True(edgeHttp["external"]?.GetValue<bool>());
        Assert.Equal(8788, edgeHttp["targetPort"]!.GetValue<int>());
    }
}
