using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using KakaoAspire.AgentRouter.Agents;
using KakaoAspire.AgentRouter.Tools;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>The <c>openai</c> provider against a real OpenAI-compatible HTTP fake on loopback.</summary>
[Collection(RedisCollection.Name)]
public sealed class OpenAIAgentTests(RedisFixture redis) : IAsyncLifetime
{
    private FakeOpenAIServer _model = null!;
    private FakeOutboundApi _outbound = null!;

    public async Task InitializeAsync()
    {
        _model = await FakeOpenAIServer.StartAsync();
        _outbound = await FakeOutboundApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _model.DisposeAsync();
        await _outbound.DisposeAsync();
    }

    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task ModelGetsTheSystemPromptTheHistoryAndTheNewMessage()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint));
        _model.AnswerWith("반가워요", "기억하고 있어요");
        var user = NewUser();

        await router.TurnAsync(user, "안녕, 나는 민수야");
        var answer = await router.TurnAsync(user, "내 이름 기억해?");

        Assert.Equal("기억하고 있어요", answer.Text);
        var sent = _model.Requests[1];
        Assert.Equal("fake-model", sent.Model);
        Assert.Equal(
            [("system", "너는 친절한 테스트 비서야."), ("user", "안녕, 나는 민수야"), ("assistant", "반가워요"), ("user", "내 이름 기억해?")],
            sent.Messages);
        Assert.Equal($"Bearer {Configs.ApiKey}", sent.Authorization);
        Assert.Contains(KakaoSendTool.Name, sent.ToolNames);
    }

    [Fact]
    public async Task AgentWithoutApiKeySendsAPlaceholderSoKeylessOllamaWorks()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint, apiKey: null));
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal(_model.DefaultAnswer, answer.Text);
        Assert.Equal($"Bearer {AgentClients.KeylessPlaceholder}", _model.Requests.Single().Authorization);
    }

    [Fact]
    public async Task ProviderUnauthorizedGivesAShortKoreanMessageAndALogLineWithoutTheKey()
    {
        _model.ErrorStatus = HttpStatusCode.Unauthorized;
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint));
        var user = NewUser();
        var answer = await router.TurnAsync(user, "안녕");

        Assert.Equal((AgentTexts.Unauthorized, "unauthorized"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("agent main") && l.Contains("unauthorized"));
        Assert.DoesNotContain(router.Logs.Lines, l => l.Contains(Configs.ApiKey));
        // A failed exchange is not kept: the next try starts from the same history.
        Assert.False(await redis.Db.KeyExistsAsync(RouterRedisKeys.SessionTurns(answer.SessionKey)));
    }

    [Fact]
    public async Task ModelSlowerThanTimeoutSecondsGivesTheTimeoutMessageInTime()
    {
        _model.Delay = TimeSpan.FromSeconds(10);
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint, timeoutSeconds: 1)).Started();

        var clock = Stopwatch.StartNew();
        var answer = await router.TurnAsync(NewUser(), "천천히 답해도 돼");

        Assert.Equal((AgentTexts.Timeout, "timeout"), (answer.Text, answer.Failure));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Contains(router.Logs.Lines, l => l.Contains("agent main") && l.Contains("timeout"));
    }

    [Fact]
    public async Task RefusedConnectionGivesTheUnreachableMessage()
    {
        var nobody = $"http://127.0.0.1:{FreePort.Next()}/v1";
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(nobody, timeoutSeconds: 10));
        var answer = await router.TurnAsync(NewUser(), "거기 누구 있어요?");

        Assert.Equal((AgentTexts.Unreachable, "unreachable"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.Contains("agent main") && l.Contains("unreachable"));
    }

    [Fact]
    public async Task KakaoSendToTheCurrentUserGoesToTheOutboundApiWithTheTurnsIdempotencyKey()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint), settings: _outbound.Settings);
        var user = NewUser();
        _model.CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "알림" })
            .AnswerWith("보냈어요");

        var answer = await router.TurnAsync(user, "나한테 알림 보내줘", turnId: "turn-send-1");

        Assert.Equal("보냈어요", answer.Text);
        Assert.StartsWith("Accepted for sending: message msg_1", ToolResult(_model.Requests[1]));
        var (authorization, body) = Assert.Single(_outbound.Sends);
        Assert.StartsWith("Bearer ", authorization);
        Assert.Equal($"kakao:plusfriendUserKey:{user}", body["to"]!.GetValue<string>());
        Assert.Equal("알림", body["message"]!.GetValue<string>());
        Assert.Equal("default", body["accountId"]!.GetValue<string>());
        Assert.Equal("turn:turn-send-1:kakao_send:1", body["idempotencyKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARetriedTurnRepeatsTheSameIdempotencyKeysSoTheOutboundApiSendsOnce()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint), settings: _outbound.Settings);
        var user = NewUser();
        var turnId = "turn-retry-" + Guid.NewGuid().ToString("N")[..6];
        _model.CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "한 번만" })
            .AnswerWith("보냈어요")
            .CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "한 번만" })
            .AnswerWith("보냈어요");

        await router.TurnAsync(user, "보내줘", turnId: turnId);
        // As if the router died before it stored the answer: the same turn runs again.
        await redis.Db.KeyDeleteAsync(RouterRedisKeys.TurnAnswer(turnId));
        await router.TurnAsync(user, "보내줘", turnId: turnId);

        Assert.Equal(2, _outbound.Sends.Count);
        Assert.Single(_outbound.Sends.Select(s => s.Body["idempotencyKey"]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task KakaoSendPastTheDailyCapTellsTheAgentItWasNotSent()
    {
        _outbound.Status = HttpStatusCode.TooManyRequests;
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint), settings: _outbound.Settings);
        var user = NewUser();
        _model.CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "알림" })
            .AnswerWith("오늘은 더 보낼 수 없어요");

        await router.TurnAsync(user, "알림 보내줘");

        Assert.StartsWith("Not sent (429): dailyCap 1000 reached", ToolResult(_model.Requests[1]));
    }

    [Fact]
    public async Task KakaoSendToAStrangerIsRefused()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint), settings: _outbound.Settings);
        _model.CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = "kakao:plusfriendUserKey:SomeoneElse", ["message"] = "스팸" })
            .AnswerWith("그 사람에게는 보낼 수 없어요");

        await router.TurnAsync(NewUser(), "다른 사람에게 보내줘");

        Assert.Equal(KakaoSendTool.NotAllowedResult, ToolResult(_model.Requests[1]));
        Assert.Empty(_outbound.Sends);
    }

    [Fact]
    public async Task KakaoSendToAnAgentRecipientOfTheAccountIsAllowed()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString,
            Configs.OpenAI(_model.Endpoint, agentRecipients: ["kakao:botUserKey:Operator1", "010-1234-5678"]), settings: _outbound.Settings);
        _model.CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = "kakao:user:Operator1", ["message"] = "주문 들어옴" })
            .CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = "+82 10 1234 5678", ["message"] = "주문 들어옴" })
            .AnswerWith("운영자에게 알렸어요");

        await router.TurnAsync(NewUser(), "운영자에게 알려줘", turnId: "turn-ops-1");

        Assert.Equal(["turn:turn-ops-1:kakao_send:1", "turn:turn-ops-1:kakao_send:2"],
            _outbound.Sends.Select(s => s.Body["idempotencyKey"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task KakaoSendPastTheTurnLimitIsRefusedWithoutReachingTheOutboundApi()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint, agentSendsPerTurn: 2),
            settings: _outbound.Settings);
        var user = NewUser();
        var send = new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "스팸" };
        _model.CallToolNext(KakaoSendTool.Name, send).CallToolNext(KakaoSendTool.Name, send).CallToolNext(KakaoSendTool.Name, send)
            .AnswerWith("두 번만 보냈어요");

        await router.TurnAsync(user, "나한테 백 번 보내줘");

        Assert.Equal(2, _outbound.Sends.Count);
        Assert.StartsWith("Not sent: at most 2 messages per turn (outbound.agentSendsPerTurn)", ToolResult(_model.Requests[3]));
    }

    [Fact]
    public async Task KakaoSendPastTheUsersDailyLimitIsRefusedWhileAnotherUserCanStillSend()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint, agentSendsPerUserPerDay: 2),
            settings: _outbound.Settings);
        var user = NewUser();
        var other = NewUser();
        var toUser = new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "알림" };
        _model.CallToolNext(KakaoSendTool.Name, toUser).AnswerWith("하나")
            .CallToolNext(KakaoSendTool.Name, toUser).AnswerWith("둘")
            .CallToolNext(KakaoSendTool.Name, toUser).AnswerWith("셋은 안 돼요")
            .CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{other}", ["message"] = "알림" }).AnswerWith("보냈어요");

        await router.TurnAsync(user, "알림 1");
        await router.TurnAsync(user, "알림 2");
        await router.TurnAsync(user, "알림 3");
        await router.TurnAsync(other, "알림");

        Assert.StartsWith("Not sent: this user's conversations may send at most 2 messages a day", ToolResult(_model.Requests[5]));
        Assert.Equal([user, user, other], _outbound.Sends.Select(s => s.Body["to"]!.GetValue<string>().Split(':')[^1]).ToArray());
    }

    [Fact]
    public async Task KakaoSendAtTheCapWithAnHourLongRetryAfterAnswersAtOnceAndTheTurnFinishesInTime()
    {
        _outbound.Status = HttpStatusCode.TooManyRequests;
        _outbound.RetryAfter = TimeSpan.FromHours(1);
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint), settings: _outbound.Settings).Started();
        var user = NewUser();
        _model.CallToolNext(KakaoSendTool.Name, new JsonObject { ["to"] = $"kakao:plusfriendUserKey:{user}", ["message"] = "알림" })
            .AnswerWith("오늘은 더 보낼 수 없어요");

        var started = Stopwatch.GetTimestamp();
        var answer = await router.TurnAsync(user, "알림 보내줘");
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal("오늘은 더 보낼 수 없어요", answer.Text);
        Assert.StartsWith("Not sent (429)", ToolResult(_model.Requests[1]));
        Assert.Single(_outbound.Sends);
        // Kakao's callback window is a minute and the turn budget 30 s; waiting out the hour would lose the answer.
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"the turn took {elapsed.TotalSeconds:F1} s");
    }

    private static string ToolResult(FakeChatRequest request) => request.Messages.Last(m => m.Role == "tool").Text.Trim('"');
}
