using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.AppHost.Tests.OpenClaw;

/// <summary>
/// The whole application with the real OpenClaw gateway, started once for the collection: the AppHost runs
/// openclaw@2026.9.6 with our Kakao plugin (channels.kakao.moltbotGateway.run), its model a fake OpenAI-compatible
/// server on loopback; the fake NHN and Event API receive the sends. Our agent "main" lives in OpenClaw.
/// </summary>
public sealed class OpenClawAppFixture : IAsyncLifetime
{
    // The gateway alone takes about 15 s quiet and minutes on a loaded 2-core machine.
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(12);
    public static readonly TimeSpan TurnTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(4);

    public const string GatewayToken = "SECRET-openclaw-token-3141";
    public const string ModelAnswer = "오픈클로 에이전트가 답해요.";
    public const string PairingAccount = "pairing";
    public const string PairingWebhookPath = "/kakao/pairing-webhook";

    private readonly KakaoAspire.TestSupport.TempDirectory _dir = new();
    private readonly CancellationTokenSource _stopLogs = new();

    public int WebhookPort { get; } = FreePort.Next();
    public int GatewayPort { get; } = FreePort.Next();

    public DistributedApplication App { get; private set; } = null!;
    public OpenClawInstall Install { get; private set; } = null!;
    public FakeNhnServer Nhn { get; private set; } = null!;
    public FakeKakaoEventApi EventApi { get; private set; } = null!;
    public FakeOpenAIServer Model { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;

    public ConcurrentDictionary<string, ConcurrentQueue<string>> Logs { get; } = new();

    public IEnumerable<string> AllLogLines => Logs.Values.SelectMany(lines => lines);

    public string ConfigPath => _dir.File("moltbot.json");
    public string OpenClawConfigPath => _dir.File("openclaw.json");
    public string OpenClawStateDirectory => _dir.File("openclaw-state");
    public string StateDirectory => _dir.File("state");

    /// <summary>What the openclaw CLI needs to talk to this gateway and read the same config.</summary>
    public IReadOnlyDictionary<string, string> OpenClawEnvironment => new Dictionary<string, string>
    {
        ["OPENCLAW_CONFIG_PATH"] = OpenClawConfigPath,
        ["OPENCLAW_STATE_DIR"] = OpenClawStateDirectory,
        ["MOLTBOT_STATE_DIR"] = StateDirectory,
    };

    public async Task InitializeAsync()
    {
        Install = await OpenClawInstall.EnsureAsync(TimeSpan.FromMinutes(10));
        Nhn = await FakeNhnServer.StartAsync();
        EventApi = await FakeKakaoEventApi.StartAsync();
        Model = await FakeOpenAIServer.StartAsync();
        Model.DefaultAnswer = ModelAnswer;
        Callbacks = await CallbackRecorder.StartAsync();

        // The seed's keys, read by both sides: KakaoAspire validates them, and so does the plugin's schema in OpenClaw.
        var kakao = new JsonObject
        {
            ["moltbotGateway"] = new JsonObject
            {
                ["url"] = $"ws://127.0.0.1:{GatewayPort}/", ["run"] = true, ["transport"] = "plugin",
            },
            ["accounts"] = new JsonObject
            {
                ["default"] = new JsonObject
                {
                    ["name"] = "OpenClaw test bot",
                    ["webhookPort"] = WebhookPort, ["webhookPath"] = "/kakao/webhook", ["dmPolicy"] = "open",
                    ["timeoutSeconds"] = 150,
                    ["adminKey"] = FakeKakaoEventApi.AdminKey, ["botId"] = FakeKakaoEventApi.BotId,
                    ["senderKey"] = FakeNhnServer.SenderKey, ["toastAppKey"] = FakeNhnServer.AppKey,
                    ["toastSecretKey"] = FakeNhnServer.SecretKey,
                    ["outbound"] = new JsonObject
                    {
                        ["nhnBaseUrl"] = Nhn.BaseUrl, ["eventApiBaseUrl"] = EventApi.BaseUrl, ["nightWindow"] = null,
                    },
                },
                // Strangers get a pairing code here (OpenClaw's, through the plugin): OpenClawPairingAppTests.
                [PairingAccount] = new JsonObject
                {
                    ["webhookPort"] = WebhookPort, ["webhookPath"] = PairingWebhookPath, ["dmPolicy"] = "pairing",
                    ["timeoutSeconds"] = 150,
                },
            },
        };
        await File.WriteAllTextAsync(ConfigPath, new JsonObject
        {
            ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = GatewayToken } },
            ["channels"] = new JsonObject { ["kakao"] = kakao.DeepClone() },
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(new JsonObject
                {
                    ["id"] = "main", ["default"] = true, ["model"] = new JsonObject { ["provider"] = "moltbot", ["agentId"] = "main" },
                }),
            },
        }.ToJsonString());
        // OpenClaw's own file: its gateway, its model (the fake), the same channels.kakao, the plugin enabled.
        await File.WriteAllTextAsync(OpenClawConfigPath, new JsonObject
        {
            ["gateway"] = new JsonObject
            {
                ["mode"] = "local", ["port"] = GatewayPort, ["auth"] = new JsonObject { ["token"] = GatewayToken },
            },
            ["models"] = new JsonObject
            {
                ["mode"] = "merge",
                ["providers"] = new JsonObject
                {
                    ["fake"] = new JsonObject
                    {
                        ["baseUrl"] = Model.Endpoint, ["apiKey"] = "sk-fake", ["api"] = "openai-completions",
                        ["models"] = new JsonArray(new JsonObject
                        {
                            ["id"] = "fake-model", ["name"] = "Fake", ["reasoning"] = false, ["input"] = new JsonArray("text"),
                            ["contextWindow"] = 120000, ["maxTokens"] = 4096,
                        }),
                    },
                },
            },
            ["agents"] = new JsonObject { ["defaults"] = new JsonObject { ["model"] = new JsonObject { ["primary"] = "fake/fake-model" } } },
            ["channels"] = new JsonObject { ["kakao"] = kakao.DeepClone() },
            ["plugins"] = new JsonObject { ["entries"] = new JsonObject { ["kakao"] = new JsonObject { ["enabled"] = true } } },
        }.ToJsonString());
        // The plugin as installed once by scripts/install-openclaw.sh; the launcher reinstalls only if it differs.
        CopyDirectory(Install.PluginExtensions, Path.Combine(OpenClawStateDirectory, "extensions"));

        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [
                $"--Moltbot:ConfigPath={ConfigPath}",
                $"--Moltbot:StateDirectory={StateDirectory}",
                $"--OpenClaw:ConfigPath={OpenClawConfigPath}",
                $"--OpenClaw:StateDirectory={OpenClawStateDirectory}",
                "--Redis:Mode=process",
            ],
            cts.Token).WaitAsync(cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        var resources = new[] { "redis", "agent-router", "friendtalk", "webhook", "edge", "openclaw" };
        foreach (var name in resources)
        {
            CollectLogs(name);
        }
        foreach (var name in resources)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token).WaitAsync(cts.Token);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.GetDirectories(from))
        {
            var info = new DirectoryInfo(directory);
            var target = Path.Combine(to, info.Name);
            if (info.LinkTarget is { } link)
            {
                Directory.CreateSymbolicLink(target, link);
            }
            else
            {
                CopyDirectory(directory, target);
            }
        }
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
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

    /// <summary>A client of the edge that sends the webhook secret the app generated for the account, as Open Builder would.</summary>
    public HttpClient EdgeClient() =>
        new(new WebhookSecretHandler(_ => WebhookSecretHandler.Generated(StateDirectory, "default")))
        {
            BaseAddress = new Uri($"http://127.0.0.1:{WebhookPort}"),
            Timeout = TurnTimeout,
        };

    public HttpClient GatewayClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}"), Timeout = TurnTimeout };

    public Task<ProcessRun> OpenClawAsync(params string[] args) => Install.OpenClawAsync(OpenClawEnvironment, CliTimeout, args);

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
        foreach (var disposable in new IAsyncDisposable?[] { Callbacks, Model, EventApi, Nhn })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class OpenClawAppCollection : ICollectionFixture<OpenClawAppFixture>
{
    public const string Name = "whole app with the real OpenClaw gateway";
}
