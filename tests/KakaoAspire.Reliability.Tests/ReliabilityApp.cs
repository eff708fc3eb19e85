using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// The whole application, started once for every reliability and security scenario (issue 7 allows four app starts
/// in all; the whole-app tests use one, this project one). One webhook port carries an account per scenario:
/// <list type="bullet">
/// <item><c>default</c> (/kakao/webhook): the built-in agent, NHN outbound on the fake NHN, no night window.</item>
/// <item><c>slow20</c>: an OpenAI-compatible agent answering after 20 s (timeoutSeconds 30).</item>
/// <item><c>slow90</c>: an agent answering after 90 s, timeoutSeconds 120.</item>
/// <item><c>ctl</c>: an agent on <see cref="Control"/>, whose delay and answers each scenario sets; its kakao_send may reach
/// <see cref="AgentPhone"/>.</item>
/// <item><c>capped</c>: outbound dailyCap 2. <c>strict</c>: callbackAllowedHosts only <c>*.kakao.com</c>, timeoutSeconds 60.
/// <c>guarded</c>: a webhookSecret.</item>
/// </list>
/// </summary>
public sealed class ReliabilityApp : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    public static readonly string[] Services = ["redis", "agent-router", "friendtalk", "webhook", "edge"];

    /// <summary>The /api limit per client address; tests that call /api use an address of their own (<see cref="Edge"/>).</summary>
    public const int ApiRateLimitPerMinute = 20;

    public const string AdminKey = "SECRET-admin-key-7391";
    public const string GatewayToken = "SECRET-gateway-token-2846";
    public const string OpenAIKey = "SECRET-openai-key-5519";
    public const string AgentPhone = "010-2468-1357";
    public const string WebhookSecret = "SECRET-webhook-6604";

    private readonly KakaoAspire.TestSupport.TempDirectory _state = new();
    private readonly CancellationTokenSource _stopLogs = new();
    private int _nextAddress = 10;

    public int Port { get; } = FreePort.Next();

    public DistributedApplication App { get; private set; } = null!;

    public ConcurrentDictionary<string, ConcurrentQueue<string>> Logs { get; } = new();

    public IEnumerable<string> AllLogLines => Logs.Values.SelectMany(lines => lines);

    public FakeNhnServer Nhn { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;
    public FakeOpenAIServer Slow20 { get; private set; } = null!;
    public FakeOpenAIServer Slow90 { get; private set; } = null!;
    public FakeOpenAIServer Control { get; private set; } = null!;

    public AppControl Faults => new(App);

    public string ConfigPath => _state.File("moltbot.json");

    public string StateDirectory => _state.File("state");

    /// <summary>Known secret values: none may appear in a log line or an error body.</summary>
    public IEnumerable<string> Secrets => [AdminKey, GatewayToken, OpenAIKey, WebhookSecret, FakeNhnServer.SecretKey, FakeNhnServer.AppKey,
        .. new[] { "/kakao/webhook", "/kakao/ctl", "/kakao/slow20" }.Select(path => WebhookSecretFor(path)!)];

    public async Task InitializeAsync()
    {
        Nhn = await FakeNhnServer.StartAsync();
        Callbacks = await CallbackRecorder.StartAsync();
        Slow20 = await FakeOpenAIServer.StartAsync();
        Slow20.Delay = TimeSpan.FromSeconds(20);
        Slow90 = await FakeOpenAIServer.StartAsync();
        Slow90.Delay = TimeSpan.FromSeconds(90);
        Control = await FakeOpenAIServer.StartAsync();

        JsonObject Outbound(int dailyCap = 1000) => new()
        {
            ["nhnBaseUrl"] = Nhn.BaseUrl,
            ["nightWindow"] = null, // the tests send at any hour
            ["dailyCap"] = dailyCap,
            ["agentRecipients"] = new JsonArray(AgentPhone),
        };
        JsonObject Account(string path, int dailyCap = 1000) => new()
        {
            ["webhookPort"] = Port, ["webhookPath"] = path, ["adminKey"] = AdminKey,
            ["senderKey"] = FakeNhnServer.SenderKey, ["toastAppKey"] = FakeNhnServer.AppKey,
            ["toastSecretKey"] = FakeNhnServer.SecretKey, ["outbound"] = Outbound(dailyCap),
        };
        JsonObject Agent(string id, FakeOpenAIServer server) => new()
        {
            ["id"] = id,
            ["model"] = new JsonObject { ["provider"] = "openai", ["endpoint"] = server.Endpoint, ["name"] = "fake-model", ["apiKey"] = OpenAIKey },
        };
        JsonObject Binding(string agent, string account) => new()
        {
            ["agentId"] = agent, ["match"] = new JsonObject { ["channel"] = "kakao", ["accountId"] = account },
        };

        var slow20 = Account("/kakao/slow20");
        var slow90 = Account("/kakao/slow90");
        slow90["timeoutSeconds"] = 120;
        var ctl = Account("/kakao/ctl");
        ctl["timeoutSeconds"] = 60;
        var strict = Account("/kakao/strict");
        strict["timeoutSeconds"] = 60;
        strict["callbackAllowedHosts"] = new JsonArray("*.kakao.com");
        var guarded = Account("/kakao/guarded");
        guarded["webhookSecret"] = WebhookSecret;

        await File.WriteAllTextAsync(ConfigPath, new JsonObject
        {
            ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = GatewayToken } },
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["apiRateLimitPerMinute"] = ApiRateLimitPerMinute,
                    ["accounts"] = new JsonObject
                    {
                        ["default"] = Account("/kakao/webhook"),
                        ["slow20"] = slow20,
                        ["slow90"] = slow90,
                        ["ctl"] = ctl,
                        ["capped"] = Account("/kakao/capped", dailyCap: 2),
                        ["strict"] = strict,
                        ["guarded"] = guarded,
                    },
                },
            },
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(
                    new JsonObject { ["id"] = "main", ["default"] = true, ["model"] = new JsonObject { ["provider"] = "builtin" } },
                    Agent("slow20", Slow20), Agent("slow90", Slow90), Agent("ctl", Control), Agent("strict", Control)),
            },
            ["bindings"] = new JsonArray(
                Binding("slow20", "slow20"), Binding("slow90", "slow90"), Binding("ctl", "ctl"), Binding("strict", "strict")),
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
        // Shorter than production so a killed process's leases run out within a test: the sender's batch lease and
        // reconcile wait, the router's session lock. The behaviour is the same, only the clock is faster.
        builder.CreateResourceBuilder<ProjectResource>("friendtalk")
            .WithEnvironment("FriendTalk__Sender__LeaseDuration", "00:00:10")
            .WithEnvironment("FriendTalk__Sender__ReconcileDelay", "00:00:02")
            .WithEnvironment("FriendTalk__Sender__HttpTimeout", "00:00:06")
            .WithEnvironment("FriendTalk__Sender__BackoffBase", "00:00:00.200")
            .WithEnvironment("FriendTalk__Sender__BackoffMax", "00:00:02")
            .WithEnvironment("FriendTalk__Sender__PollDelay", "00:00:01");
        builder.CreateResourceBuilder<ProjectResource>("agent-router")
            .WithEnvironment("AgentRouter__LockLease", "00:00:05");

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        foreach (var name in Services)
        {
            CollectLogs(name);
        }
        foreach (var name in Services)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token).WaitAsync(cts.Token);
        }
        // Warm every path once (JIT, Redis connections) so deadlines measure the running app, not its first request.
        using var client = Edge();
        foreach (var path in new[] { "/kakao/webhook", "/kakao/ctl" })
        {
            await Skill.PostAsync(client, path, Skill.Payload("warm-up", "Warm" + path.Replace("/", "")));
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

    /// <summary>
    /// A client of the edge from a loopback address of its own (127.0.0.N): the per-IP limit on /api counts each test
    /// separately, as it would count separate machines. Skill requests carry each account's webhook secret, as Open
    /// Builder sends them once the header is set up.
    /// </summary>
    public HttpClient Edge(string? token = null) => Client(token, withWebhookSecrets: true);

    /// <summary>A client of the edge that knows no webhook secret, as a stranger on the internet.</summary>
    public HttpClient Stranger() => Client(null, withWebhookSecrets: false);

    /// <summary>The secret of the account at a webhook path: "guarded" sets one in the config, the others get one generated.</summary>
    public string? WebhookSecretFor(string path) => path.StartsWith("/kakao/", StringComparison.Ordinal)
        ? path == "/kakao/guarded" ? WebhookSecret
        : WebhookSecretHandler.Generated(StateDirectory, path == "/kakao/webhook" ? "default" : path["/kakao/".Length..])
        : null;

    private HttpClient Client(string? token, bool withWebhookSecrets)
    {
        var address = System.Net.IPAddress.Parse($"127.0.0.{Interlocked.Increment(ref _nextAddress)}");
        HttpMessageHandler handler = withWebhookSecrets ? new WebhookSecretHandler(WebhookSecretFor, Loopback.From(address)) : Loopback.From(address);
        var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = RequestTimeout };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

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
        await Control.DisposeAsync();
        await Slow90.DisposeAsync();
        await Slow20.DisposeAsync();
        await Callbacks.DisposeAsync();
        await Nhn.DisposeAsync();
        _state.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityApp>
{
    public const string Name = "reliability app";
}
