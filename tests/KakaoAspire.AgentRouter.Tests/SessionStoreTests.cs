using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;

namespace KakaoAspire.AgentRouter.Tests;

[Collection(RedisCollection.Name)]
public sealed class SessionStoreTests(RedisFixture redis)
{
    private SessionStore Store(int maxMessages = 40, int maxCharacters = 16_000) => new(redis.Connection,
        Microsoft.Extensions.Options.Options.Create(new RouterOptions { MaxHistoryMessages = maxMessages, MaxHistoryCharacters = maxCharacters }));

    private static SessionTurn Message(string role, string text) => new(role, text, DateTimeOffset.UtcNow);

    private static string NewKey() => $"agent:main:kakao:default:dm:{Guid.NewGuid():N}";

    /// <summary>What a turn holds while it writes: the session's lock with its own token.</summary>
    private async Task<string> LockAsync(string key)
    {
        await redis.Db.StringSetAsync(RouterRedisKeys.SessionLock(key), "test-turn", TimeSpan.FromMinutes(1));
        return RouterRedisKeys.SessionLock(key);
    }

    private async Task AppendTurnsAsync(SessionStore store, string key, int turns, int length = 5)
    {
        var lockKey = await LockAsync(key);
        for (var i = 0; i < turns; i++)
        {
            var history = await store.ReadAsync(key);
            await store.AppendAsync(key, lockKey, "test-turn", history, Message("user", $"u{i}".PadRight(length, '.')), Message("assistant", $"a{i}".PadRight(length, '.')));
        }
    }

    [Fact]
    public async Task HistoryKeepsOnlyTheNewestMessagesWithinTheMessageBound()
    {
        var store = Store(maxMessages: 4);
        var key = NewKey();
        await AppendTurnsAsync(store, key, turns: 5);

        var history = await store.ReadAsync(key);
        Assert.Equal(["u3...", "a3...", "u4...", "a4..."], history.Select(t => t.Text));
        Assert.Equal(4, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(key)));
    }

    [Fact]
    public async Task HistoryDropsTheOldestMessagesPastTheCharacterBound()
    {
        var store = Store(maxCharacters: 250);
        var key = NewKey();
        await AppendTurnsAsync(store, key, turns: 5, length: 50);

        // 250 characters hold five 50-character messages: the newest five, never a partial one.
        var history = await store.ReadAsync(key);
        Assert.Equal(5, history.Count);
        Assert.StartsWith("a2", history[0].Text);
        Assert.Equal(5, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(key)));
    }

    [Fact]
    public async Task AppendingSetsTheHistoryTtl()
    {
        var store = Store();
        var key = NewKey();
        await AppendTurnsAsync(store, key, turns: 1);

        var ttl = await redis.Db.KeyTimeToLiveAsync(RouterRedisKeys.SessionTurns(key));
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task HistoryIsStoredAsCamelCaseJsonWithReadableHangul()
    {
        var store = Store();
        var key = NewKey();
        await store.AppendAsync(key, await LockAsync(key), "test-turn", [], Message("user", "안녕하세요"));

        var raw = (string?)await redis.Db.ListGetByIndexAsync(RouterRedisKeys.SessionTurns(key), 0);
        Assert.Contains("\"role\":\"user\"", raw);
        Assert.Contains("\"text\":\"안녕하세요\"", raw);
        Assert.Contains("\"at\":", raw);
    }

    [Fact]
    public async Task A_turn_whose_session_lock_was_taken_over_adds_nothing_to_the_history()
    {
        var store = Store();
        var key = NewKey();
        // The lock lapsed during a Redis outage and the next message's turn took it.
        await redis.Db.StringSetAsync(RouterRedisKeys.SessionLock(key), "next-turn", TimeSpan.FromMinutes(1));

        var written = await store.AppendAsync(key, RouterRedisKeys.SessionLock(key), "lapsed-turn", [], Message("user", "늦은 질문"), Message("assistant", "늦은 답"));

        Assert.False(written);
        Assert.Equal(0, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(key)));
    }
}
