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
    // Generous: on a loaded 2-core machine each service takes up to a minute to become healthy.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
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

    public string TokenPath => Path.Combine(StateDirectory, "kakao", "gateway-token");

    /// <summary>Known secret values: none of them may appear in a log line, a trace, an error body or CLI output.</summary>
    public const string AdminKey = "SECRET-admin-key-4821";
    public const string WebhookSecret = "SECRET-webhook-5678";
    public const string GatewayToken = "SECRET-gateway-token-9012";

    public FakeNhnServer Nhn { get; private set; } = null!;
    public FakeMoltbotGateway Gateway { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;

    public string StateDirectory => _state.File("state");

    public IEnumerable<string> Secrets => [AdminKey, WebhookSecret, GatewayToken, FakeNhnServer.SecretKey, ApiToken,
        .. new[] { "/kakao/webhook", "/kakao/locked", "/kakao/gw" }.Select(path => WebhookSecretFor(path)!)];

    /// <summary>The generated gateway API token (no gateway.auth.token in the config).</summary>
    public string ApiToken => File.ReadAllText(TokenPath).Trim();

    public async Task InitializeAsync()
    {
        Nhn = await FakeNhnServer.StartAsync();
        Gateway = await FakeMoltbotGateway.StartAsync(GatewayToken);
        Gateway.Agents.Add("helper");
        Callbacks = await CallbackRecorder.StartAsync();

        var outbound = new JsonObject
        {
            ["nhnBaseUrl"] = Nhn.BaseUrl,
            ["nightWindow"] = null, // the test must send at any hour
        };
        await File.WriteAllTextAsync(ConfigPath, new JsonObject
        {
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["moltbotGateway"] = new JsonObject { ["url"] = Gateway.Url, ["token"] = GatewayToken },
                    ["accounts"] = new JsonObject
                    {
                        ["default"] = new JsonObject
                        {
                            ["webhookPort"] = DefaultPort, ["webhookPath"] = "/kakao/webhook", ["adminKey"] = AdminKey,
                            ["senderKey"] = FakeNhnServer.SenderKey, ["toastAppKey"] = FakeNhnServer.AppKey,
                            ["toastSecretKey"] = FakeNhnServer.SecretKey, ["outbound"] = outbound,
                        },
                        ["locked"] = new JsonObject
                        {
                            ["webhookPort"] = LockedPort, ["webhookPath"] = "/kakao/locked",
                            ["dmPolicy"] = "disabled", ["deniedText"] = LockedDeniedText,
                        },
                        ["pairs"] = new JsonObject
                        {
                            ["webhookPort"] = DefaultPort, ["webhookPath"] = "/kakao/pairs",
                            ["dmPolicy"] = "pairing", ["webhookSecret"] = WebhookSecret,
                        },
                        ["gw"] = new JsonObject
                        {
                            ["webhookPort"] = DefaultPort, ["webhookPath"] = "/kakao/gw", ["replyDeadlineMs"] = 1500,
                        },
                    },
                },
            },
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(
                    new JsonObject { ["id"] = "main", ["default"] = true, ["model"] = new JsonObject { ["provider"] = "builtin" } },
                    new JsonObject { ["id"] = "helper", ["model"] = new JsonObject { ["provider"] = "moltbot", ["agentId"] = "helper" } }),
            },
            ["bindings"] = new JsonArray(new JsonObject
            {
                ["agentId"] = "helper", ["match"] = new JsonObject { ["channel"] = "kakao", ["accountId"] = "gw" },
            }),
        }.ToJsonString());

        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [
                $"--Moltbot:ConfigPath={ConfigPath}",
                $"--Moltbot:StateDirectory={StateDirectory}",
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

    /// <summary>A client of the edge that sends each account's webhook secret, as Open Builder does once set up.</summary>
    public HttpClient EdgeClient(int port) =>
        new(new WebhookSecretHandler(WebhookSecretFor)) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = RequestTimeout };

    /// <summary>A client of the edge that sends no secret at all, as a stranger would.</summary>
    public HttpClient StrangerClient(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = RequestTimeout };

    /// <summary>The secret of the account at a webhook path: "pairs" sets one in the config, the others get one generated.</summary>
    public string? WebhookSecretFor(string path) => path switch
    {
        "/kakao/pairs" => WebhookSecret,
        "/kakao/webhook" => WebhookSecretHandler.Generated(StateDirectory, "default"),
        "/kakao/locked" => WebhookSecretHandler.Generated(StateDirectory, "locked"),
        "/kakao/gw" => WebhookSecretHandler.Generated(StateDirectory, "gw"),
        _ => null,
    };

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
        await Callbacks.DisposeAsync();
        await Gateway.DisposeAsync();
        await Nhn.DisposeAsync();
        _state.Dispose();
    }

    /// <summary>The moltbot CLI pointed at this app: its config, its state folder (for the token), its edge.</summary>
    public CliRunner Cli() => new CliRunner()
        .With("MOLTBOT_CONFIG_PATH", ConfigPath)
        .With("MOLTBOT_STATE_DIR", StateDirectory);

    /// <summary>Every log line of every resource so far.</summary>
    public IEnumerable<string> AllLogLines => Logs.Values.SelectMany(lines => lines);
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "whole app";
}
