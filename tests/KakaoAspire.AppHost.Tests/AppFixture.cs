using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The whole application, started once for the collection: the real AppHost with a config of two accounts on
/// free ports (default: open; "locked": disabled), its state and Redis data in a temp folder, the process Redis.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly KakaoAspire.TestSupport.TempDirectory _state = new();
    private readonly CancellationTokenSource _stopLogs = new();

    public int DefaultPort { get; } = FreePort.Next();
    public int LockedPort { get; } = FreePort.Next();
    public const string LockedDeniedText = "잠긴 계정이에요.";

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Every log line each resource wrote, as the dashboard would show it.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Logs { get; } = new();

    public string ConfigPath => _state.File("moltbot.json");

    public string TokenPath => Path.Combine(_state.File("state"), "kakao", "gateway-token");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(ConfigPath, new JsonObject
        {
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["accounts"] = new JsonObject
                    {
                        ["default"] = new JsonObject { ["webhookPort"] = DefaultPort, ["webhookPath"] = "/kakao/webhook" },
                        ["locked"] = new JsonObject
                        {
                            ["webhookPort"] = LockedPort, ["webhookPath"] = "/kakao/locked",
                            ["dmPolicy"] = "disabled", ["deniedText"] = LockedDeniedText,
                        },
                    },
                },
            },
        }.ToJsonString());

        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [
                $"--Moltbot:ConfigPath={ConfigPath}",
                $"--Moltbot:StateDirectory={_state.File("state")}",
                "--Redis:Mode=process",
            ],
            cts.Token).WaitAsync(cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        foreach (var name in new[] { "redis", "agent-router", "friendtalk", "webhook", "edge" })
        {
            CollectLogs(name);
        }
        foreach (var name in new[] { "redis", "agent-router", "friendtalk", "webhook", "edge" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token).WaitAsync(cts.Token);
        }
    }

    private void CollectLogs(string resource)
    {
        var lines = Logs.GetOrAdd(resource, _ => new ConcurrentQueue<string>());
        var watcher = App.Services.GetRequiredService<ResourceLoggerService>();
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var target = model.Resources.Single(r => r.Name == resource);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in watcher.WatchAsync(target).WithCancellation(_stopLogs.Token))
                {
                    foreach (var line in batch)
                    {
                        lines.Enqueue(line.Content);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public HttpClient EdgeClient(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = RequestTimeout };

    public async Task DisposeAsync()
    {
        _stopLogs.Cancel();
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
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "whole app";
}
