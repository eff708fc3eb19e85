using KakaoAspire.AgentRouter.Agents;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>The built-in agent through the router, as a new user meets it.</summary>
[Collection(RedisCollection.Name)]
public sealed class BuiltinAgentTests(RedisFixture redis)
{
    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task PlainMessageIsEchoedWithTheCountOfEarlierMessages()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var user = NewUser();
        var first = await router.TurnAsync(user, "안녕");
        var second = await router.TurnAsync(user, "두 번째");

        Assert.Contains("기본 에이전트", first.Text);
        Assert.Contains("\"안녕\"", first.Text);
        Assert.Contains("이전 메시지 0개", first.Text);
        Assert.Contains("이전 메시지 1개", second.Text);
        Assert.Equal(("main", "default"), (second.AgentId, second.MatchedBy));
        Assert.Equal($"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}", second.SessionKey);
        Assert.Equal(4, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(second.SessionKey)));
    }

    [Fact]
    public async Task HelpListsTheCommandsWithQuickReplies()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var answer = await router.TurnAsync(NewUser(), "/help");

        Assert.Equal(BuiltinAgent.HelpText, answer.Text);
        Assert.Contains("/whoami", answer.QuickReplies);
        Assert.Contains("/reset", answer.QuickReplies);
    }

    [Fact]
    public async Task WhoAmIListsTheUsersTypedAddressesCasePreserved()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var user = NewUser();
        var answer = await router.TurnAsync(user, "/whoami");

        Assert.Contains($"kakao:plusfriendUserKey:{user}", answer.Text);
        Assert.Contains($"kakao:botUserKey:Bot{user}", answer.Text);
    }

    [Fact]
    public async Task StatusNamesTheAgentTheRuleAndTheSession()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var user = NewUser();
        await router.TurnAsync(user, "하나");
        var answer = await router.TurnAsync(user, "/status");

        Assert.Contains("에이전트: main (선택 규칙: default)", answer.Text);
        Assert.Contains($"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}", answer.Text);
        Assert.Contains("기억 중인 메시지: 2개", answer.Text);
    }

    [Theory]
    [InlineData("/reset")]
    [InlineData("/new")]
    public async Task ResetDeletesTheHistoryAndContinuesUnderANewGenerationKey(string command)
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var user = NewUser();
        var before = await router.TurnAsync(user, "기억해 줘");
        var reset = await router.TurnAsync(user, command);
        var after = await router.TurnAsync(user, "새 대화");
        var again = await router.TurnAsync(user, "/reset");

        Assert.Equal(AgentTexts.Reset, reset.Text);
        Assert.False(await redis.Db.KeyExistsAsync(RouterRedisKeys.SessionTurns(before.SessionKey)));
        Assert.Equal(before.SessionKey + ":g2", reset.SessionKey);
        Assert.Equal(reset.SessionKey, after.SessionKey);
        Assert.Contains("이전 메시지 0개", after.Text);
        Assert.Equal(before.SessionKey + ":g3", again.SessionKey);
        Assert.False(await redis.Db.KeyExistsAsync(RouterRedisKeys.SessionTurns(after.SessionKey)));
    }

    [Fact]
    public async Task BindingToAnAgentWeDoNotListGoesToTheGatewayNeverToTheEchoAgentAndSaysWhenNoGatewayAnswers()
    {
        var nobody = $"ws://127.0.0.1:{FreePort.Next()}/";
        var config = $$"""
            {
              "channels": { "kakao": { "moltbotGateway": { "url": "{{nobody}}" }, "accounts": { "default": { "timeoutSeconds": 10 } } } },
              "bindings": [ { "agentId": "ghost", "match": { "channel": "kakao", "accountId": "*" } } ]
            }
            """;
        await using var router = new RouterFactory(redis.Server.ConnectionString, config);
        var answer = await router.TurnAsync(NewUser(), "안녕");

        Assert.Equal(("ghost", "binding.channel"), (answer.AgentId, answer.MatchedBy));
        Assert.Equal((AgentTexts.GatewayUnreachable, "unreachable"), (answer.Text, answer.Failure));
        Assert.Contains(router.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("for agent ghost") && l.Contains("openclaw gateway run"));
        Assert.Contains(router.Logs.Lines, l => l.Contains("Agents ghost run in the OpenClaw gateway"));
    }
}
