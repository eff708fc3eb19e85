using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KakaoAspire.AgentRouter.Agents;
using KakaoAspire.AgentRouter.Gateway;
using KakaoAspire.AgentRouter.Routing;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>
/// One real OpenClaw gateway (the npm package, from scripts/install-openclaw.sh) with a fake OpenAI-compatible model,
/// and one router configured as the user's guide routes Kakao: <c>routing.bindings: [{channel: "kakao", agent:
/// "my-assistant"}]</c> and no agents of ours. The router starts before the gateway, and its first turn is sent the
/// moment the gateway listens, while it still refuses connects as "starting".
/// </summary>
public sealed class RealOpenClawFixture : IAsyncLifetime
{
    public const string Agent = "my-assistant";
    public const string StartupAnswerText = "막 켜진 게이트웨이의 첫 답이에요.";

    public RedisServer Redis { get; private set; } = null!;
    public FakeOpenAIServer Model { get; private set; } = null!;
    public RealOpenClawGateway Gateway { get; private set; } = null!;
    public RouterFactory Router { get; private set; } = null!;
    public string StartupUser { get; } = "User" + Guid.NewGuid().ToString("N")[..10];
    public TurnResponse? StartupAnswer { get; private set; }
    public Exception? StartupFailure { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: nothing we started may outlive the run.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        // Fails (never skips) with "run scripts/install-openclaw.sh" when the install is missing.
        RealOpenClawGateway.FindInstall();
        Redis = await StartRedisAsync();
        Model = await FakeOpenAIServer.StartAsync();
        Model.DefaultAnswer = StartupAnswerText;
        var port = FreePort.Next();
        var token = RealOpenClawGateway.NewToken();
        Router = new RouterFactory(Redis.ConnectionString, Config($"ws://127.0.0.1:{port}/", token)).Started();
        // Listening on every interface: loopback for most tests, this machine's own address as "another host".
        Gateway = await RealOpenClawGateway.StartAsync(Model.Endpoint, ["main", Agent], bindLan: true, port: port, token: token);
        try
        {
            StartupAnswer = await Router.TurnAsync(StartupUser, "막 켜졌어요?");
        }
        catch (Exception ex)
        {
            StartupFailure = ex;
        }
        await Gateway.WaitUntilReadyAsync();
    }

    // Started while other suites load the machine, the Redis host sometimes misses its 30 s: it gets three tries.
    private static async Task<RedisServer> StartRedisAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RedisServer.StartAsync();
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>The guide's routing, a generous budget (a loaded 2-core machine takes tens of seconds per run).</summary>
    public static string Config(string gatewayUrl, string? token, int timeoutSeconds = 240)
    {
        var root = new JsonObject
        {
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["moltbotGateway"] = new JsonObject { ["url"] = gatewayUrl },
                    ["accounts"] = new JsonObject { ["default"] = new JsonObject { ["timeoutSeconds"] = timeoutSeconds } },
                },
            },
            ["routing"] = new JsonObject { ["bindings"] = new JsonArray(new JsonObject { ["channel"] = "kakao", ["agent"] = Agent }) },
        };
        if (token is not null)
        {
            root["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = token } };
        }
        return root.ToJsonString();
    }

    public async Task DisposeAsync()
    {
        if (Router is not null)
        {
            await Router.DisposeAsync();
        }
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        if (Model is not null)
        {
            await Model.DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RealOpenClawCollection : ICollectionFixture<RealOpenClawFixture>
{
    public const string Name = "real openclaw gateway";
}

/// <summary>The operator client against the real gateway: answer, in_flight replay, timeout, start-up refusal.</summary>
[Collection(RealOpenClawCollection.Name)]
public sealed class RealOpenClawGatewayTests(RealOpenClawFixture fixture)
{
    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    private string GatewayOutput => string.Join('\n', fixture.Gateway.Output.TakeLast(30));

    [Fact]
    public void A_turn_sent_while_the_gateway_starts_is_retried_within_the_turn_and_answered()
    {
        Assert.True(fixture.StartupFailure is null, $"{fixture.StartupFailure}\n{GatewayOutput}");
        Assert.Equal((RealOpenClawFixture.StartupAnswerText, null), (fixture.StartupAnswer!.Text, fixture.StartupAnswer.Failure));
        Assert.Contains(fixture.Router.Logs.Lines, l => l.Contains("protocol 4 negotiated within 3-4") && l.Contains("operator.write"));
        // The turn goes the moment the gateway listens, but the gateway refuses connects only for about 2 s after that.
        // On a loaded machine the router's first connect sometimes came after the gateway said ready (a suite run saw no
        // refusal). Then there was nothing to retry; a connect from before the ready line must have been refused and retried.
        var records = fixture.Router.Logs.GetSnapshot();
        if (!records.Any(r => r.Message.Contains("is still starting", StringComparison.Ordinal) && r.Message.Contains("UNAVAILABLE", StringComparison.Ordinal)))
        {
            var connected = records.First(r => r.Message.StartsWith("Connected to Moltbot gateway", StringComparison.Ordinal)).Timestamp;
            Assert.True(fixture.Gateway.ReadyAt is { } ready && connected >= ready - TimeSpan.FromSeconds(0.5),
                $"The router connected at {connected:HH:mm:ss.fff}, before the gateway was ready ({fixture.Gateway.ReadyAt:HH:mm:ss.fff}), and logged no refusal as starting.\n{GatewayOutput}");
        }
    }

    [Fact]
    public async Task The_guides_binding_reaches_the_gateway_agent_my_assistant_and_its_answer_comes_back()
    {
        var user = NewUser();
        fixture.Model.DefaultAnswer = "my-assistant 에이전트가 답해요.";

        var answer = await fixture.Router.TurnAsync(user, "내일 일정 알려줘");

        Assert.True(answer.Failure is null, $"{answer.Failure}: {answer.Text}\n{GatewayOutput}");
        Assert.Equal(("my-assistant 에이전트가 답해요.", RealOpenClawFixture.Agent), (answer.Text, answer.AgentId));
        // The gateway tells its model which agent and session run the turn.
        var request = fixture.Model.Requests.Last(r => r.Messages.Any(m => m.Text.Contains("내일 일정 알려줘")));
        Assert.Contains(request.Messages, m => m.Text.Contains($"agent=my-assistant | session=agent:my-assistant:kakao:default:dm:{SessionKeys.EncodePeer(user)}"));
    }

    [Fact]
    public async Task A_replay_while_the_run_goes_on_is_one_run_and_both_get_the_answer_through_wait_and_history()
    {
        var user = NewUser();
        fixture.Model.DefaultAnswer = "한 번만 실행한 답이에요.";
        fixture.Model.Delay = TimeSpan.FromSeconds(8);
        try
        {
            var agent = fixture.Router.Services.GetRequiredService<MoltbotGatewayAgent>();
            var options = ChatOptionsFor(user, Guid.NewGuid().ToString("N"), timeoutSeconds: 240);
            ChatMessage[] messages = [new(ChatRole.User, $"{user} 한 번만 실행해")];

            var first = agent.GetResponseAsync(messages, options);
            await WaitUntilAsync(() => ModelRequestsFor(user) > 0, TimeSpan.FromMinutes(3));
            var replay = await agent.GetResponseAsync(messages, options);

            Assert.Equal("한 번만 실행한 답이에요.", replay.Text);
            Assert.Equal("한 번만 실행한 답이에요.", (await first).Text);
            Assert.Equal(1, ModelRequestsFor(user));
            Assert.Contains(fixture.Router.Logs.Lines, l => l.Contains("answered from chat.history"));
        }
        finally
        {
            fixture.Model.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_run_that_times_out_on_the_gateway_gives_our_timeout_text_never_its_English_payload()
    {
        var user = NewUser();
        fixture.Model.Delay = TimeSpan.FromMinutes(3);
        try
        {
            var agent = fixture.Router.Services.GetRequiredService<MoltbotGatewayAgent>();
            // The run's own budget is 5 s; ours is long, so the gateway's "timeout" final is what we get.
            var options = ChatOptionsFor(user, Guid.NewGuid().ToString("N"), timeoutSeconds: 5);
            using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(4));

            var failure = await Assert.ThrowsAsync<MoltbotGatewayException>(() =>
                agent.GetResponseAsync([new ChatMessage(ChatRole.User, "천천히 답해도 돼")], options, budget.Token));

            // Either the final (status "timeout", an English isError payload) or, when it lags, agent.wait saying "timeout".
            Assert.Equal(GatewayFailureCause.Timeout, failure.Cause);
            Assert.DoesNotContain("Request timed out", failure.Message);
            var shown = AgentFailure.Classify(failure)!;
            Assert.Equal((AgentTexts.Timeout, "timeout"), (shown.Text, shown.Code));
        }
        finally
        {
            fixture.Model.Delay = TimeSpan.Zero;
        }
    }

    private int ModelRequestsFor(string user) =>
        fixture.Model.Requests.Count(r => r.Messages.Any(m => m.Role == "user" && m.Text.Contains($"{user} 한 번만 실행해")));

    private ChatOptions ChatOptionsFor(string user, string turnId, int timeoutSeconds)
    {
        var config = fixture.Router.Services.GetRequiredService<MoltbotConfig>();
        var request = RouterFactory.Turn(user, "replay", turnId);
        var route = BindingResolver.Resolve(config, "kakao", "default", "dm", user);
        var sessionKey = SessionKeys.ForDirectMessage(route.Agent.Id, "kakao", "default", user, config.Session.DmScope);
        var account = config.Kakao.FindAccount("default")! with { TimeoutSeconds = timeoutSeconds };
        var context = new TurnContext(request, route, account, sessionKey, 0);
        return new ChatOptions { AdditionalProperties = new() { [TurnContext.PropertyName] = context } };
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.True(condition());
    }
}

/// <summary>
/// A gateway on another host: admitted without scopes until this channel's device identity is approved once with
/// <c>openclaw devices approve</c>; then the issued device token alone lets a router in.
/// </summary>
[Collection(RealOpenClawCollection.Name)]
public sealed class RealOpenClawRemoteDeviceTests(RealOpenClawFixture fixture)
{

    [Fact]
    public async Task A_remote_gateway_admits_the_router_after_one_devices_approve_and_the_device_token_is_reused()
    {
        var remoteUrl = $"ws://{NonLoopbackAddress()}:{fixture.Gateway.Port}/";
        using var state = new TempDirectory();
        var stateSetting = new Dictionary<string, string> { ["MOLTBOT_STATE_DIR"] = state.Path };
        fixture.Model.DefaultAnswer = "멀리 있는 게이트웨이의 답이에요.";

        await using (var router = new RouterFactory(fixture.Redis.ConnectionString, RealOpenClawFixture.Config(remoteUrl, fixture.Gateway.Token), settings: stateSetting))
        {
            var refused = await router.TurnAsync(NewUser(), "처음 인사해요");
            Assert.Equal((AgentTexts.GatewayUnauthorized, "unauthorized"), (refused.Text, refused.Failure));
            var line = router.Logs.Lines.First(l => l.Contains("device not approved yet"));
            var requestId = Regex.Match(line, @"openclaw devices approve ([0-9a-f-]{36})").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(requestId), line);

            var approved = await fixture.Gateway.RunCliAsync(TimeSpan.FromMinutes(3), "devices", "approve", requestId);
            Assert.Contains("Approved", approved);

            var answer = await router.TurnAsync(NewUser(), "승인 후에 보내요");
            Assert.Equal(("멀리 있는 게이트웨이의 답이에요.", null), (answer.Text, answer.Failure));
        }

        var saved = JsonNode.Parse(File.ReadAllText(Path.Combine(state.Path, "kakao", OpenClawDeviceIdentity.FileName)))!;
        Assert.NotEmpty(saved["deviceTokens"]!.AsObject());

        // A router without the shared token signs in with the stored device token alone.
        await using var again = new RouterFactory(fixture.Redis.ConnectionString, RealOpenClawFixture.Config(remoteUrl, token: null), settings: stateSetting);
        var reused = await again.TurnAsync(NewUser(), "토큰 없이 다시 보내요");
        Assert.Equal(("멀리 있는 게이트웨이의 답이에요.", null), (reused.Text, reused.Failure));
        Assert.Contains(again.Logs.Lines, l => l.Contains("auth device-token"));
        var deviceToken = saved["deviceTokens"]!.AsObject().First().Value!["token"]!.GetValue<string>();
        Assert.DoesNotContain(again.Logs.Lines, l => l.Contains(deviceToken, StringComparison.Ordinal));
    }

    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    // The gateway treats any non-loopback address, even this machine's own, as another host.
    private static string NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a))?.ToString()
        ?? throw new InvalidOperationException("This machine has no non-loopback IPv4 address to reach the gateway as another host would.");
}
