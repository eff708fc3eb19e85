using System.Text.Json;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>A session's history as the turns leave it in Redis: bounded, expiring, readable.</summary>
[Collection(RedisCollection.Name)]
public sealed class SessionStoreTests(RedisFixture redis)
{
    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    private async Task<List<SessionTurn>> HistoryAsync(string sessionKey) =>
        [.. (await redis.Db.ListRangeAsync(RouterRedisKeys.SessionTurns(sessionKey)))
            .Select(v => JsonSerializer.Deserialize<SessionTurn>((string)v!, JsonSerializerOptions.Web)!)];

    [Fact]
    public async Task HistoryKeepsOnlyTheNewestMessagesWithinTheMessageBound()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint),
            settings: new Dictionary<string, string> { ["AgentRouter:MaxHistoryMessages"] = "4" });
        model.AnswerWith("a0", "a1", "a2", "a3", "a4");
        var user = NewUser();
        TurnResponse last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await router.TurnAsync(user, $"u{i}");
        }

        Assert.Equal(["u3", "a3", "u4", "a4"], (await HistoryAsync(last.SessionKey)).Select(t => t.Text));
        // The last turn's model saw the bounded history too: two earlier exchanges, then its own question.
        Assert.Equal(["u2", "a2", "u3", "a3", "u4"], model.Requests[^1].Messages.Where(m => m.Role != "system").Select(m => m.Text));
    }

    [Fact]
    public async Task HistoryDropsTheOldestMessagesPastTheCharacterBound()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint),
            settings: new Dictionary<string, string> { ["AgentRouter:MaxHistoryCharacters"] = "250" });
        model.AnswerWith([.. Enumerable.Range(0, 5).Select(i => $"a{i}".PadRight(50, '.'))]);
        var user = NewUser();
        TurnResponse last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await router.TurnAsync(user, $"u{i}".PadRight(50, '.'));
        }

        // 250 characters hold five 50-character messages: the newest five, never a partial one.
        var history = await HistoryAsync(last.SessionKey);
        Assert.Equal(5, history.Count);
        Assert.StartsWith("a2", history[0].Text);
    }

    [Fact]
    public async Task AppendingSetsTheHistoryTtl()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var answer = await router.TurnAsync(NewUser(), "안녕");

        var ttl = await redis.Db.KeyTimeToLiveAsync(RouterRedisKeys.SessionTurns(answer.SessionKey));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task HistoryIsStoredAsCamelCaseJsonWithReadableHangul()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var answer = await router.TurnAsync(NewUser(), "안녕하세요");

        var raw = (string?)await redis.Db.ListGetByIndexAsync(RouterRedisKeys.SessionTurns(answer.SessionKey), 0);
        Assert.Contains("\"role\":\"user\"", raw);
        Assert.Contains("\"text\":\"안녕하세요\"", raw);
        Assert.Contains("\"at\":", raw);
    }

    [Fact]
    public async Task After_a_reset_the_conversation_remembers_its_new_messages_under_the_new_generation()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var user = NewUser();
        await router.TurnAsync(user, "예전 대화");
        await router.TurnAsync(user, "/reset");
        await router.TurnAsync(user, "/reset");

        var first = await router.TurnAsync(user, "새 대화 하나");
        var second = await router.TurnAsync(user, "새 대화 둘");

        Assert.EndsWith(":g3", second.SessionKey);
        Assert.Contains("이전 메시지 0개", first.Text);
        Assert.Contains("이전 메시지 1개", second.Text);
        Assert.Equal(["새 대화 하나", "새 대화 둘"],
            (await HistoryAsync(second.SessionKey)).Where(t => t.Role == "user").Select(t => t.Text));
    }

    [Fact]
    public async Task A_reset_generation_is_kept_alive_by_every_turn_and_a_session_never_reset_stores_none()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var user = NewUser();
        var baseKey = (await router.TurnAsync(user, "처음")).SessionKey;
        var generationKey = RouterRedisKeys.SessionGeneration(baseKey);
        Assert.False(await redis.Db.KeyExistsAsync(generationKey));

        await router.TurnAsync(user, "/reset");
        await redis.Db.KeyExpireAsync(generationKey, TimeSpan.FromMinutes(1));
        var answer = await router.TurnAsync(user, "다시");

        Assert.EndsWith(":g2", answer.SessionKey);
        // Twice the history's 7 days again, so the new conversation outlives its own history.
        Assert.InRange((await redis.Db.KeyTimeToLiveAsync(generationKey))!.Value, TimeSpan.FromDays(13.9), TimeSpan.FromDays(14));
    }
}
