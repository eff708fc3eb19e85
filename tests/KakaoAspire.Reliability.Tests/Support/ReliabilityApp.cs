using System.Text.Json.Nodes;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// The whole application, started once for every reliability and security scenario (one app start for
/// them all). One webhook port carries an account per scenario:
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
public sealed class ReliabilityApp() : WholeAppFixture(typeof(Projects.KakaoAspire_AppHost))
{
    /// <summary>The /api limit per client address; tests that call /api use an address of their own (<see cref="Edge"/>).</summary>
    public const int ApiRateLimitPerMinute = 20;

    public const string AdminKey = "SECRET-admin-key-7391";
    public const string GatewayToken = "SECRET-gateway-token-2846";
    public const string OpenAIKey = "SECRET-openai-key-5519";
    public const string AgentPhone = "010-2468-1357";
    public const string WebhookSecret = "SECRET-webhook-6604";

    private int _nextAddress = 10;

    public int Port { get; } = FreePort.Next();

    public FakeNhnServer Nhn { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;
    public FakeOpenAIServer Slow20 { get; private set; } = null!;
    public FakeOpenAIServer Slow90 { get; private set; } = null!;
    public FakeOpenAIServer Control { get; private set; } = null!;

    public AppControl Faults => new(App);

    /// <summary>Known secret values: none may appear in a log line or an error body.</summary>
    public IEnumerable<string> Secrets => [AdminKey, GatewayToken, OpenAIKey, WebhookSecret, FakeNhnServer.SecretKey, FakeNhnServer.AppKey,
        .. new[] { "/kakao/webhook", "/kakao/ctl", "/kakao/slow20" }.Select(path => WebhookSecretFor(path)!)];

    protected override TimeSpan StartTimeout => TimeSpan.FromMinutes(3);

    protected override async Task<JsonObject> PrepareAsync()
    {
        Nhn = Own(await FakeNhnServer.StartAsync());
        Callbacks = Own(await CallbackRecorder.StartAsync());
        Slow20 = Own(await FakeOpenAIServer.StartAsync());
        Slow20.Delay = TimeSpan.FromSeconds(20);
        Slow90 = Own(await FakeOpenAIServer.StartAsync());
        Slow90.Delay = TimeSpan.FromSeconds(90);
        Control = Own(await FakeOpenAIServer.StartAsync());

        // Every account sends through the fake NHN at any hour; kakao_send may reach AgentPhone.
        JsonObject Account(string path, int dailyCap = 1000)
        {
            var account = AppConfig.NhnAccount(Port, path, Nhn.BaseUrl).With("adminKey", AdminKey);
            account["outbound"]!.AsObject().With("dailyCap", dailyCap).With("agentRecipients", new JsonArray(AgentPhone));
            return account;
        }

        return new AppConfig()
            .GatewayToken(GatewayToken)
            .Kakao("apiRateLimitPerMinute", ApiRateLimitPerMinute)
            .Account("default", Account("/kakao/webhook"))
            .Account("slow20", Account("/kakao/slow20"))
            .Account("slow90", Account("/kakao/slow90").With("timeoutSeconds", 120))
            .Account("ctl", Account("/kakao/ctl").With("timeoutSeconds", 60))
            .Account("capped", Account("/kakao/capped", dailyCap: 2))
            .Account("strict", Account("/kakao/strict").With("timeoutSeconds", 60).With("callbackAllowedHosts", new JsonArray("*.kakao.com")))
            .Account("guarded", Account("/kakao/guarded").With("webhookSecret", WebhookSecret))
            .BuiltinAgent()
            .OpenAIAgent("slow20", Slow20.Endpoint, OpenAIKey)
            .OpenAIAgent("slow90", Slow90.Endpoint, OpenAIKey)
            .OpenAIAgent("ctl", Control.Endpoint, OpenAIKey)
            .OpenAIAgent("strict", Control.Endpoint, OpenAIKey)
            .Bind("slow20", "slow20").Bind("slow90", "slow90").Bind("ctl", "ctl").Bind("strict", "strict")
            .Build();
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
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
        // The slow-agent test reads every request's time from the webhook's per-request lines: one for every request.
        builder.CreateResourceBuilder<ProjectResource>("webhook")
            .WithEnvironment("Telemetry__MaxRequestLinesPerSecond", "0");
    }

    /// <summary>Warms every path once (JIT, Redis connections) so deadlines measure the running app, not its first request.</summary>
    protected override async Task WarmUpAsync()
    {
        using var client = Edge();
        foreach (var path in new[] { "/kakao/webhook", "/kakao/ctl" })
        {
            await Skill.PostAsync(client, path, Skill.Payload("warm-up", "Warm" + path.Replace("/", "")));
        }
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
        HttpMessageHandler handler = withWebhookSecrets
            ? new WebhookSecretHandler(WebhookSecretFor, LocalAddressHandler.From(address))
            : LocalAddressHandler.From(address);
        var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = RequestTimeout };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityApp>
{
    public const string Name = "reliability app";
}
