namespace KakaoAspire.AgentRouter.Tests;

/// <summary>
/// The simple gateway mode: the <c>openai</c> provider pointed at an OpenClaw gateway's OpenAI-compatible endpoint with
/// model <c>openclaw/&lt;agentId&gt;</c> (the older <c>moltbot:&lt;agentId&gt;</c> in the config still works, but the
/// gateway only takes the new name). Without our session key in <c>x-openclaw-session-key</c> the gateway would
/// start a fresh session for every message.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class MoltbotOpenAIModeTests(RedisFixture redis) : IAsyncLifetime
{
    private FakeOpenAIServer _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task OldMoltbotModelNameIsSentAsOpenClawsWithTheSessionKeyOfThatGatewayAgentOnEveryRequest()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString,
            Configs.OpenAI(_gateway.Endpoint, modelName: "moltbot:helper", apiKey: "gw-token-as-bearer"));
        var user = NewUser();

        var answer = await router.TurnAsync(user, "안녕");
        var reset = await router.TurnAsync(user, "/reset");
        await router.TurnAsync(user, "새 대화");

        Assert.Equal(_gateway.DefaultAnswer, answer.Text);
        var first = _gateway.Requests[0];
        Assert.Equal("openclaw/helper", first.Model);
        Assert.Equal("Bearer gw-token-as-bearer", first.Authorization);
        Assert.Equal($"agent:helper:kakao:default:dm:{SessionKeys.EncodePeer(user)}", first.Header("x-openclaw-session-key"));
        Assert.Equal($"agent:helper:kakao:default:dm:{SessionKeys.EncodePeer(user)}:g2", _gateway.Requests[1].Header("x-openclaw-session-key"));
        Assert.Equal("agent:main:kakao:default:dm:" + SessionKeys.EncodePeer(user) + ":g2", reset.SessionKey);
        Assert.DoesNotContain("moltbot.turn", first.Body.ToJsonString());
    }

    [Theory]
    [InlineData("openclaw/helper", "openclaw/helper", "helper")]
    [InlineData("openclaw", "openclaw/main", "main")]
    public async Task OpenClawModelNamesGoAsTheGatewayTakesThem(string configured, string sent, string agentId)
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_gateway.Endpoint, modelName: configured));
        var user = NewUser();
        await router.TurnAsync(user, "안녕");

        var request = _gateway.Requests.Single();
        Assert.Equal(sent, request.Model);
        Assert.Equal($"agent:{agentId}:kakao:default:dm:{SessionKeys.EncodePeer(user)}", request.Header("x-openclaw-session-key"));
    }

    [Fact]
    public async Task OtherModelsSendNoSessionKeyHeader()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_gateway.Endpoint));
        await router.TurnAsync(NewUser(), "안녕");

        Assert.Null(_gateway.Requests.Single().Header("x-openclaw-session-key"));
        Assert.Null(_gateway.Requests.Single().Header("x-moltbot-session-key"));
        Assert.DoesNotContain("moltbot.turn", _gateway.Requests.Single().Body.ToJsonString());
    }
}
