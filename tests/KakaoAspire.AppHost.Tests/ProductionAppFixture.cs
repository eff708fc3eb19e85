using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The whole application started as `moltbot gateway run` starts it: the AppHost in Production. One account; a small
/// /api limit; 127.0.0.1 as the one trusted reverse proxy; the edge's connection cap lowered so a test can reach it.
/// </summary>
public sealed class ProductionAppFixture : IAsyncLifetime
{
    public const int ApiRateLimitPerMinute = 5;
    public const int MaxConnections = 40;

    private readonly KakaoAspire.TestSupport.TempDirectory _state = new();

    public int Port { get; } = FreePort.Next();

    public DistributedApplication App { get; private set; } = null!;

    public string ConfigPath => _state.File("moltbot.json");

    public string StateDirectory => _state.File("state");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(ConfigPath, new JsonObject
        {
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["apiRateLimitPerMinute"] = ApiRateLimitPerMinute,
                    ["trustedProxies"] = new JsonArray("127.0.0.1"),
                    ["accounts"] = new JsonObject
                    {
                        ["default"] = new JsonObject { ["webhookPort"] = Port, ["webhookPath"] = "/kakao/webhook" },
                    },
                },
            },
        }.ToJsonString());

        using var cts = new CancellationTokenSource(AppFixture.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [
                $"--Moltbot:ConfigPath={ConfigPath}",
                $"--Moltbot:StateDirectory={StateDirectory}",
                "--Redis:Mode=process",
            ],
            (_, host) => host.EnvironmentName = "Production",
            cts.Token).WaitAsync(cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        builder.CreateResourceBuilder<ProjectResource>("edge").WithEnvironment("Edge__MaxConnections", MaxConnections.ToString());

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        foreach (var name in new[] { "redis", "agent-router", "friendtalk", "webhook", "edge" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token).WaitAsync(cts.Token);
        }
    }

    public HttpClient EdgeClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = AppFixture.RequestTimeout };

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await App.StopAsync(cts.Token).WaitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Teardown that hangs must not fail the run; the orchestrator cleans up its children.
            }
            await App.DisposeAsync();
        }
        _state.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ProductionAppCollection : ICollectionFixture<ProductionAppFixture>
{
    public const string Name = "production app";
}
