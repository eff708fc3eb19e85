using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The whole application, started once for the collection: the real AppHost with a config of four accounts on
/// free ports (default: open, NHN outbound; locked: disabled; pairs: pairing with a webhook secret; gw: the gateway
/// agent "helper" on the fake gateway), its state and Redis data in a temp folder, the process Redis.
/// </summary>
public sealed class AppFixture() : WholeAppFixture(typeof(Projects.KakaoAspire_AppHost))
{
    public int DefaultPort { get; } = FreePort.Next();
    public int LockedPort { get; } = FreePort.Next();
    public const string LockedDeniedText = "잠긴 계정이에요.";

    public string TokenPath => Path.Combine(StateDirectory, "kakao", "gateway-token");

    /// <summary>Known secret values: none of them may appear in a log line, a trace, an error body or CLI output.</summary>
    public const string AdminKey = "SECRET-admin-key-4821";
    public const string WebhookSecret = "SECRET-webhook-5678";
    public const string GatewayToken = "SECRET-gateway-token-9012";

    public FakeNhnServer Nhn { get; private set; } = null!;
    public FakeMoltbotGateway Gateway { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;

    public IEnumerable<string> Secrets => [AdminKey, WebhookSecret, GatewayToken, FakeNhnServer.SecretKey, ApiToken,
        .. new[] { "/kakao/webhook", "/kakao/locked", "/kakao/gw" }.Select(path => WebhookSecretFor(path)!)];

    /// <summary>The generated gateway API token (no gateway.auth.token in the config).</summary>
    public string ApiToken => File.ReadAllText(TokenPath).Trim();

    /// <summary>
    /// The edge's and the router's per-request lines, off by default, turned on as the README says, so a trace id can be
    /// followed through all three services' logs (WebhookPathTests).
    /// </summary>
    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("edge")
            .WithEnvironment("Logging__LogLevel__KakaoAspire.Edge.Routing.AccountRouting", "Information");
        builder.CreateResourceBuilder<ProjectResource>("agent-router")
            .WithEnvironment("Logging__LogLevel__KakaoAspire.AgentRouter.Turns.TurnRunner", "Information");
    }

    protected override async Task<JsonObject> PrepareAsync()
    {
        Nhn = Own(await FakeNhnServer.StartAsync());
        Gateway = Own(await FakeMoltbotGateway.StartAsync(GatewayToken));
        Gateway.Agents.Add("helper");
        Callbacks = Own(await CallbackRecorder.StartAsync());

        return new AppConfig()
            .Kakao("moltbotGateway", new JsonObject { ["url"] = Gateway.Url, ["token"] = GatewayToken })
            .Account("default", AppConfig.NhnAccount(DefaultPort, "/kakao/webhook", Nhn.BaseUrl).With("adminKey", AdminKey))
            .Account("locked", AppConfig.WebhookAccount(LockedPort, "/kakao/locked")
                .With("dmPolicy", "disabled").With("deniedText", LockedDeniedText))
            .Account("pairs", AppConfig.WebhookAccount(DefaultPort, "/kakao/pairs")
                .With("dmPolicy", "pairing").With("webhookSecret", WebhookSecret))
            .Account("gw", AppConfig.WebhookAccount(DefaultPort, "/kakao/gw").With("replyDeadlineMs", 1500))
            .BuiltinAgent()
            .GatewayAgent("helper", "helper")
            .Bind("helper", "gw")
            .Build();
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

    /// <summary>The moltbot CLI pointed at this app: its config, its state folder (for the token), its edge.</summary>
    public CliRunner Cli() => new CliRunner()
        .With("MOLTBOT_CONFIG_PATH", ConfigPath)
        .With("MOLTBOT_STATE_DIR", StateDirectory);
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "whole app";
}
