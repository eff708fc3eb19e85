using System.Diagnostics;
using KakaoAspire.AgentRouter.Agents;
using KakaoAspire.AgentRouter.Routing;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>The <c>moltbot</c> provider against a fake Moltbot gateway: a real WebSocket server on loopback.</summary>
[Collection(RedisCollection.Name)]
public sealed class MoltbotGatewayAgentTests(RedisFixture redis) : IAsyncLifetime
{
    private FakeMoltbotGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = await FakeMoltbotGateway.StartAsync();
        _gateway.Agents.Add("helper");
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    private RouterFactory Router(string? config = null) =>
        new(redis.Server.ConnectionString, config ?? Configs.Moltbot(_gateway.Url, _gateway.Token));

    private void AssertTokenNeverLogged(RouterFactory router, params string[] tokens)
    {
        Assert.NotEmpty(router.Logs.Lines);
        foreach (var token in tokens.Append(_gateway.Token))
        {
            Assert.DoesNotContain(router.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task KakaoMessageIsAnsweredByTheGatewayAgentUnderItsOwnSessionKey()
    {
        await using var router = Router(Configs.Moltbot(_gateway.Url, _gateway.Token, systemPrompt: "짧게 답해."));
        var user = NewUser();
        var turnId = Guid.NewGuid().ToString("N");

        var answer = await router.TurnAsync(user, "내일 오전 일정 알려줘", turnId);

        Assert.Equal((FakeMoltbotGateway.EchoText("helper", "내일 오전 일정 알려줘"), null), (answer.Text, answer.Failure));
        Assert.Equal(("kakao", $"agent:kakao:kakao:default:dm:{SessionKeys.EncodePeer(user)}"), (answer.AgentId, answer.SessionKey));
        var run = Assert.Single(_gateway.Runs);
        Assert.Equal($"agent:helper:kakao:default:dm:{SessionKeys.EncodePeer(user)}", run.SessionKey);
        Assert.Equal(("helper", "내일 오전 일정 알려줘", $"kakao:{turnId}"), (run.AgentId, run.Message, run.IdempotencyKey));
        Assert.Equal(("webchat", false, 30), (run.Channel, run.Deliver, run.Timeout));
        Assert.Equal($"{MoltbotGatewayAgent.KakaoPrompt}\n\n짧게 답해.", run.ExtraSystemPrompt);
        Assert.Contains(router.Logs.Lines, l => l.Contains("Connected to Moltbot gateway"));
        AssertTokenNeverLogged(router);
    }

    [Fact]
    public async Task HandshakeOffersProtocolsThreeToFourAsABackendGatewayClientAndLogsTheNegotiatedOne()
    {
        await using var router = Router();
        await router.TurnAsync(NewUser(), "안녕");

        var connect = Assert.Single(_gateway.Connects);
        Assert.Equal((3, 4), (connect["minProtocol"]!.GetValue<int>(), connect["maxProtocol"]!.GetValue<int>()));
        Assert.Equal(("gateway-client", "backend"), (connect["client"]!["id"]!.GetValue<string>(), connect["client"]!["mode"]!.GetValue<string>()));
        Assert.Equal("operator", connect["role"]!.GetValue<string>());
        Assert.Equal(["operator.read", "operator.write"], connect["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(_gateway.Token, connect["auth"]!["token"]!.GetValue<string>());
        Assert.Contains(router.Logs.Lines, l => l.Contains("Connected to Moltbot gateway") && l.Contains("protocol 4 negotiated within 3-4")
            && l.Contains("scopes operator.read,operator.write"));
    }

    [Fact]
    public async Task MoltbotsProtocolThreeGatewayIsStillSpokenTo()
    {
        _gateway.ServerProtocol = 3;
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((FakeMoltbotGateway.EchoText("helper", "안녕"), null), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("protocol 3 negotiated within 3-4"));
    }

    [Fact]
    public async Task TheDeviceIdentitySignsTheChallengeAndItsIdIsTheHashOfItsPublicKey()
    {
        await using var router = Router();
        await router.TurnAsync(NewUser(), "안녕");

        var device = Assert.Single(_gateway.Connects)["device"]!;
        var publicKey = System.Buffers.Text.Base64Url.DecodeFromChars(device["publicKey"]!.GetValue<string>());
        Assert.Equal(32, publicKey.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(publicKey)), device["id"]!.GetValue<string>());
        Assert.Equal(64, System.Buffers.Text.Base64Url.DecodeFromChars(device["signature"]!.GetValue<string>()).Length);
        Assert.NotNull(device["nonce"]);
        var file = Assert.Single(Directory.GetFiles(router.StateDirectory, OpenClawDeviceIdentity.FileName, SearchOption.AllDirectories));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        var privateKey = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!["privateKey"]!.GetValue<string>();
        Assert.DoesNotContain(router.Logs.Lines, l => l.Contains(privateKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionWithoutOperatorWriteIsAClearErrorNamingTheFix()
    {
        _gateway.GrantedScopes = [];
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((AgentTexts.GatewayUnauthorized, "unauthorized"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("missing scope operator.write")
            && l.Contains("openclaw devices approve"));
        Assert.Empty(_gateway.Runs);
        AssertTokenNeverLogged(router);
    }

    [Fact]
    public async Task GatewayStillStartingIsRetriedWithinTheTurn()
    {
        _gateway.RefuseWhileStarting(TimeSpan.FromSeconds(2));
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "막 켜졌어요?");

        Assert.Equal((FakeMoltbotGateway.EchoText("helper", "막 켜졌어요?"), null), (answer.Text, answer.Failure));
        Assert.True(_gateway.StartingRefusals >= 2, $"refused {_gateway.StartingRefusals} times");
        Assert.Contains(router.Logs.Lines, l => l.Contains("is still starting") && l.Contains("retrying in 500 ms"));
    }

    [Fact]
    public async Task TimedOutRunGivesOurTimeoutTextNeverTheGatewaysEnglishPayload()
    {
        _gateway.AnswerWith(FakeMoltbotReply.TimedOut());
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "오래 걸리는 질문");

        Assert.Equal((AgentTexts.Timeout, "timeout"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("cause timeout") && l.Contains("status timeout"));
        Assert.DoesNotContain("Request timed out", answer.Text);
    }

    [Fact]
    public async Task ReplayWhileTheRunGoesOnWaitsAndReadsTheAnswerFromHistory()
    {
        _gateway.RunDelay = TimeSpan.FromSeconds(1.5);
        await using var router = Router().Started();
        var agent = router.Services.GetRequiredService<MoltbotGatewayAgent>();
        var options = ChatOptionsFor(router, NewUser(), Guid.NewGuid().ToString("N"));
        ChatMessage[] messages = [new(ChatRole.User, "한 번만 실행해")];

        var first = agent.GetResponseAsync(messages, options);
        await WaitUntilAsync(() => _gateway.Runs.Count == 1);
        var replay = await agent.GetResponseAsync(messages, options);

        Assert.Equal(FakeMoltbotGateway.EchoText("helper", "한 번만 실행해"), replay.Text);
        Assert.Equal(["agent", "agent", "agent.wait", "chat.history"], _gateway.Methods);
        Assert.Equal(replay.Text, (await first).Text);
    }

    [Fact]
    public async Task NextMessagesReuseTheConnectionAndSendOnlyTheNewMessage()
    {
        await using var router = Router();
        var user = NewUser();

        await router.TurnAsync(user, "첫 번째");
        var second = await router.TurnAsync(user, "두 번째");

        Assert.Equal(FakeMoltbotGateway.EchoText("helper", "두 번째"), second.Text);
        Assert.Equal(["첫 번째", "두 번째"], _gateway.Runs.Select(r => r.Message));
        Assert.Single(_gateway.Connects);
    }

    [Fact]
    public async Task ModelStringAgentRunsInTheGatewayUnderTheSameId()
    {
        var config = $$"""
            {
              "gateway": { "auth": { "token": "{{_gateway.Token}}" } },
              "channels": { "kakao": { "moltbotGateway": { "url": "{{_gateway.Url}}" } } },
              "agents": { "list": [ { "id": "main", "default": true, "model": "anthropic/claude-sonnet-4" } ] }
            }
            """;
        await using var router = Router(config);
        var user = NewUser();
        var answer = await router.TurnAsync(user, "안녕");

        Assert.Equal(FakeMoltbotGateway.EchoText("main", "안녕"), answer.Text);
        Assert.Equal(("main", $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}"), (_gateway.Runs.Single().AgentId, _gateway.Runs.Single().SessionKey));
    }

    [Fact]
    public async Task ChannelTokenWinsOverTheGatewayAuthToken()
    {
        await using var router = Router(Configs.Moltbot(_gateway.Url, "our-api-token-not-the-gateways", channelToken: _gateway.Token));
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Null(answer.Failure);
        AssertTokenNeverLogged(router, "our-api-token-not-the-gateways");
    }

    [Fact]
    public async Task ResetStartsANewGatewaySessionToo()
    {
        await using var router = Router();
        var user = NewUser();

        await router.TurnAsync(user, "기억해 줘");
        var reset = await router.TurnAsync(user, "/reset");
        await router.TurnAsync(user, "새 대화");

        Assert.Equal(AgentTexts.Reset, reset.Text);
        Assert.Equal(2, _gateway.Runs.Count);
        Assert.Equal(_gateway.Runs[0].SessionKey + ":g2", _gateway.Runs[1].SessionKey);
    }

    [Fact]
    public async Task WrongTokenGivesTheUnauthorizedMessageAndLogsTokenMismatch()
    {
        const string wrong = "wrong-gateway-token-never-logged";
        await using var router = Router(Configs.Moltbot(_gateway.Url, wrong));
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((AgentTexts.GatewayUnauthorized, "unauthorized"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("token mismatch (1008)"));
        Assert.Empty(_gateway.Runs);
        AssertTokenNeverLogged(router, wrong);
    }

    [Fact]
    public async Task MissingTokenGivesTheUnauthorizedMessageAndLogsTokenMissing()
    {
        await using var router = Router(Configs.Moltbot(_gateway.Url, authToken: null));
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((AgentTexts.GatewayUnauthorized, "unauthorized"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("token missing (1008)") && l.Contains("OPENCLAW_GATEWAY_TOKEN"));
        Assert.Null(_gateway.Connects.Last()["auth"]);
    }

    [Fact]
    public async Task ProtocolMismatchGivesTheProviderErrorMessageAndLogsIt()
    {
        _gateway.ServerProtocol = 5;
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((AgentTexts.ProviderError, "provider-error"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("protocol mismatch (1002)"));
        AssertTokenNeverLogged(router);
    }

    [Fact]
    public async Task UnreachableGatewayGivesTheUnreachableMessage()
    {
        var nobody = $"ws://127.0.0.1:{FreePort.Next()}/";
        await using var router = Router(Configs.Moltbot(nobody, _gateway.Token, timeoutSeconds: 10));
        var answer = await router.TurnAsync(NewUser(), "거기 누구 있어요?");

        Assert.Equal((AgentTexts.GatewayUnreachable, "unreachable"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("cause unreachable") && l.Contains("for agent helper") && l.Contains("openclaw gateway run"));
        AssertTokenNeverLogged(router);
    }

    [Fact]
    public async Task GatewayWithoutChallengeStillGetsTheHandshake()
    {
        _gateway.SendChallenge = false;
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Moltbot(_gateway.Url, _gateway.Token),
            settings: new Dictionary<string, string> { ["AgentRouter:MoltbotGateway:ChallengeWait"] = "00:00:00.2" });
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Null(answer.Failure);
    }

    [Fact]
    public async Task RunErrorGivesTheProviderErrorMessageAndLogsTheGatewaysReason()
    {
        _gateway.AnswerWith(FakeMoltbotReply.Failed("Error: LLM request timed out."));
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((AgentTexts.ProviderError, "provider-error"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("cause run error") && l.Contains("LLM request timed out"));
        Assert.DoesNotContain("LLM", answer.Text);
    }

    [Fact]
    public async Task AgentUnknownToTheGatewaySaysSoToTheUserAndNamesTheAgentAndTheFixInTheLog()
    {
        await using var router = Router(Configs.Moltbot(_gateway.Url, _gateway.Token, gatewayAgentId: "ghost"));
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal((AgentTexts.AgentNotFound, "provider-error"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("cause unknown agent id") && l.Contains("agents.entries.ghost"));
    }

    [Fact]
    public async Task EmptyPayloadsMeanTheAgentChoseNotToReply()
    {
        _gateway.AnswerWith(FakeMoltbotReply.Silent());
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "조용히 있어");

        Assert.Equal(("", null), (answer.Text, answer.Failure));
    }

    [Fact]
    public async Task PayloadTextsAreJoinedAndWebMediaBecomeImages()
    {
        _gateway.AnswerWith(new FakeMoltbotReply(["첫째 문단", "둘째 문단"], ["https://example.com/cat.png", "/home/moltbot/local.png"]));
        await using var router = Router();
        var answer = await router.TurnAsync(NewUser(), "고양이 사진");

        Assert.Equal("첫째 문단\n\n둘째 문단", answer.Text);
        Assert.Equal(["https://example.com/cat.png"], answer.ImageUrls);
    }

    [Fact]
    public async Task EventsOfOtherRunsNeverReachTheAnswer()
    {
        await using var router = Router();
        var users = Enumerable.Range(0, 4).Select(_ => NewUser()).ToList();

        var answers = await Task.WhenAll(users.Select(u => router.TurnAsync(u, $"{u}의 질문")));

        Assert.Equal(users.Select(u => FakeMoltbotGateway.EchoText("helper", $"{u}의 질문")), answers.Select(a => a.Text));
        Assert.DoesNotContain(answers, a => a.Text.Contains(FakeMoltbotGateway.OtherRunText));
        Assert.Single(_gateway.Connects);
    }

    [Fact]
    public async Task RetriedTurnIsOneGatewayRun()
    {
        await using var router = Router();
        var turn = RouterFactory.Turn(NewUser(), "한 번만 실행해");

        using var first = await router.PostTurnAsync(turn);
        using var second = await router.PostTurnAsync(turn);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Single(_gateway.Runs);
    }

    [Fact]
    public async Task SameIdempotencyKeyWhileTheRunGoesOnIsOneRunAndBothGetTheAnswerThroughWaitAndHistory()
    {
        _gateway.RunDelay = TimeSpan.FromSeconds(1);
        await using var router = Router().Started();
        var agent = router.Services.GetRequiredService<MoltbotGatewayAgent>();
        var options = ChatOptionsFor(router, NewUser(), Guid.NewGuid().ToString("N"));
        ChatMessage[] messages = [new(ChatRole.User, "한 번만 실행해")];

        var first = agent.GetResponseAsync(messages, options);
        await Task.Delay(200);
        var replay = agent.GetResponseAsync(messages, options);
        var answers = await Task.WhenAll(first, replay);

        var expected = FakeMoltbotGateway.EchoText("helper", "한 번만 실행해");
        Assert.Equal([expected, expected], answers.Select(a => a.Text));
        Assert.Single(_gateway.Runs);
        Assert.Contains("agent.wait", _gateway.Methods);
        Assert.Contains("chat.history", _gateway.Methods);
    }

    [Fact]
    public async Task SlowRunPastTheBudgetGivesTheTimeoutMessageInTime()
    {
        _gateway.RunDelay = TimeSpan.FromSeconds(10);
        await using var router = Router(Configs.Moltbot(_gateway.Url, _gateway.Token, timeoutSeconds: 1)).Started();
        await WaitUntilAsync(() => _gateway.OpenConnections == 1);

        var clock = Stopwatch.StartNew();
        var answer = await router.TurnAsync(NewUser(), "천천히 답해도 돼");

        Assert.Equal((AgentTexts.Timeout, "timeout"), (answer.Text, answer.Failure));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Equal(1, _gateway.Runs.Single().Timeout);
        Assert.Contains(router.Logs.Lines, l => l.Contains("cause timeout"));
    }

    [Fact]
    public async Task DroppedConnectionMidRunReconnectsAndRecoversTheAnswer()
    {
        _gateway.RunDelay = TimeSpan.FromSeconds(1.5);
        _gateway.DropConnectionDuringNextRun();
        await using var router = Router();

        var answer = await router.TurnAsync(NewUser(), "끊겨도 답해 줘");

        Assert.Equal((FakeMoltbotGateway.EchoText("helper", "끊겨도 답해 줘"), null), (answer.Text, answer.Failure));
        Assert.Single(_gateway.Runs);
        Assert.Equal(2, _gateway.Connects.Count);
        Assert.Contains("agent.wait", _gateway.Methods);
        Assert.Contains(router.Logs.Lines, l => l.Contains("connection lost during run"));
        AssertTokenNeverLogged(router);
    }

    [Fact]
    public async Task DroppedConnectionAfterTheRunFinishedGetsTheCachedFinal()
    {
        _gateway.RunDelay = TimeSpan.Zero;
        _gateway.DropConnectionDuringNextRun();
        await using var router = Router();

        var answer = await router.TurnAsync(NewUser(), "빨리 답해");

        Assert.Equal(FakeMoltbotGateway.EchoText("helper", "빨리 답해"), answer.Text);
        Assert.Single(_gateway.Runs);
    }

    private static ChatOptions ChatOptionsFor(RouterFactory router, string user, string turnId)
    {
        var config = router.Services.GetRequiredService<MoltbotConfig>();
        var request = RouterFactory.Turn(user, "한 번만 실행해", turnId);
        var sessionKey = SessionKeys.ForDirectMessage("kakao", "kakao", "default", user, config.Session.DmScope);
        var context = new TurnContext(request, new AgentRoute(config.DefaultAgent, "default"), config.Kakao.FindAccount("default"), sessionKey, 0);
        return new ChatOptions { AdditionalProperties = new() { [TurnContext.PropertyName] = context } };
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(10);
        while (!condition() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True(condition());
    }
}
