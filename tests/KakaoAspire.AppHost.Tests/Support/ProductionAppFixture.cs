using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The whole application started as `moltbot gateway run` starts it: the AppHost in Production. One account; a small
/// /api limit; 127.0.0.1 as the one trusted reverse proxy; the edge's connection cap lowered so a test can reach it.
/// </summary>
public sealed class ProductionAppFixture() : WholeAppFixture(typeof(Projects.KakaoAspire_AppHost))
{
    public const int ApiRateLimitPerMinute = 5;
    public const int MaxConnections = 40;

    public int Port { get; } = FreePort.Next();

    protected override Task<JsonObject> PrepareAsync() => Task.FromResult(new AppConfig()
        .Kakao("apiRateLimitPerMinute", ApiRateLimitPerMinute)
        .Kakao("trustedProxies", new JsonArray("127.0.0.1"))
        .Account("default", AppConfig.WebhookAccount(Port, "/kakao/webhook"))
        .Build());

    protected override void ConfigureHost(HostApplicationBuilderSettings host) => host.EnvironmentName = "Production";

    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.CreateResourceBuilder<ProjectResource>("edge").WithEnvironment("Edge__MaxConnections", MaxConnections.ToString());

    public HttpClient EdgeClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = RequestTimeout };
}

[CollectionDefinition(Name)]
public sealed class ProductionAppCollection : ICollectionFixture<ProductionAppFixture>
{
    public const string Name = "production app";
}
