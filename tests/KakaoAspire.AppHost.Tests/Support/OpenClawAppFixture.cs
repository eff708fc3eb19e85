using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests.OpenClaw;

/// <summary>
/// The whole application with the real OpenClaw gateway, started once for the collection: the AppHost runs
/// openclaw@2026.9.6 with our Kakao plugin (channels.kakao.moltbotGateway.run), its model a fake OpenAI-compatible
/// server on loopback; the fake NHN and Event API receive the sends. Our agent "main" lives in OpenClaw.
/// </summary>
public sealed class OpenClawAppFixture() : WholeAppFixture(typeof(Projects.KakaoAspire_AppHost))
{
    // The gateway alone takes about 15 s quiet and minutes on a loaded 2-core machine.
    public static readonly TimeSpan OpenClawStartTimeout = TimeSpan.FromMinutes(12);
    public static readonly TimeSpan TurnTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(4);

    public const string GatewayToken = "SECRET-openclaw-token-3141";
    public const string ModelAnswer = "오픈클로 에이전트가 답해요.";
    public const string PairingAccount = "pairing";
    public const string PairingWebhookPath = "/kakao/pairing-webhook";

    public int WebhookPort { get; } = FreePort.Next();
    public int GatewayPort { get; } = FreePort.Next();

    public OpenClawInstall Install { get; private set; } = null!;
    public FakeNhnServer Nhn { get; private set; } = null!;
    public FakeKakaoEventApi EventApi { get; private set; } = null!;
    public FakeOpenAIServer Model { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;

    public string OpenClawConfigPath => TempFile("openclaw.json");
    public string OpenClawStateDirectory => TempFile("openclaw-state");

    /// <summary>What the openclaw CLI needs to talk to this gateway and read the same config.</summary>
    public IReadOnlyDictionary<string, string> OpenClawEnvironment => new Dictionary<string, string>
    {
        ["OPENCLAW_CONFIG_PATH"] = OpenClawConfigPath,
        ["OPENCLAW_STATE_DIR"] = OpenClawStateDirectory,
        ["MOLTBOT_STATE_DIR"] = StateDirectory,
    };

    protected override TimeSpan StartTimeout => OpenClawStartTimeout;

    protected override IReadOnlyList<string> Resources => [.. Services, "openclaw"];

    protected override IEnumerable<string> Arguments =>
        [$"--OpenClaw:ConfigPath={OpenClawConfigPath}", $"--OpenClaw:StateDirectory={OpenClawStateDirectory}"];

    protected override async Task<JsonObject> PrepareAsync()
    {
        Install = await OpenClawInstall.EnsureAsync(TimeSpan.FromMinutes(10));
        Nhn = Own(await FakeNhnServer.StartAsync());
        EventApi = Own(await FakeKakaoEventApi.StartAsync());
        Model = Own(await FakeOpenAIServer.StartAsync());
        Model.DefaultAnswer = ModelAnswer;
        Callbacks = Own(await CallbackRecorder.StartAsync());

        // The seed's keys, read by both sides: KakaoAspire validates them, and so does the plugin's schema in OpenClaw.
        var outbound = new JsonObject { ["nhnBaseUrl"] = Nhn.BaseUrl, ["eventApiBaseUrl"] = EventApi.BaseUrl, ["nightWindow"] = null };
        var config = new AppConfig()
            .GatewayToken(GatewayToken)
            .Kakao("moltbotGateway", new JsonObject { ["url"] = $"ws://127.0.0.1:{GatewayPort}/", ["run"] = true, ["transport"] = "plugin" })
            .Account("default", AppConfig.NhnAccount(WebhookPort, "/kakao/webhook", Nhn.BaseUrl)
                .With("name", "OpenClaw test bot").With("dmPolicy", "open").With("timeoutSeconds", 150)
                .With("adminKey", FakeKakaoEventApi.AdminKey).With("botId", FakeKakaoEventApi.BotId)
                .With("outbound", outbound))
            // Strangers get a pairing code here (OpenClaw's, through the plugin): OpenClawPairingAppTests.
            .Account(PairingAccount, AppConfig.WebhookAccount(WebhookPort, PairingWebhookPath)
                .With("dmPolicy", "pairing").With("timeoutSeconds", 150))
            .GatewayAgent("main", "main", isDefault: true);

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
            ["channels"] = new JsonObject { ["kakao"] = config.KakaoSection() },
            ["plugins"] = new JsonObject { ["entries"] = new JsonObject { ["kakao"] = new JsonObject { ["enabled"] = true } } },
        }.ToJsonString());
        // The plugin as installed once by scripts/install-openclaw.sh; the launcher reinstalls only if it differs.
        CopyDirectory(Install.PluginExtensions, Path.Combine(OpenClawStateDirectory, "extensions"));
        return config.Build();
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

    /// <summary>A client of the edge that sends the webhook secret the app generated for the account, as Open Builder would.</summary>
    public HttpClient EdgeClient() =>
        new(new WebhookSecretHandler(_ => WebhookSecretHandler.Generated(StateDirectory, "default")))
        {
            BaseAddress = new Uri($"http://127.0.0.1:{WebhookPort}"),
            Timeout = TurnTimeout,
        };

    public HttpClient GatewayClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}"), Timeout = TurnTimeout };

    public Task<ProcessRun> OpenClawAsync(params string[] args) => Install.OpenClawAsync(OpenClawEnvironment, CliTimeout, args);
}

[CollectionDefinition(Name)]
public sealed class OpenClawAppCollection : ICollectionFixture<OpenClawAppFixture>
{
    public const string Name = "whole app with the real OpenClaw gateway";
}
