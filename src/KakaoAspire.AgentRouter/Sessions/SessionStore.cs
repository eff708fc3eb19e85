using System.Text.Json;
using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>
/// A session's history in Redis: a list of JSON turns, newest last, bounded in messages and characters, expiring.
/// Writers hold the session lock, so read-then-trim needs no script.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IOptions<RouterOptions> options)
{
    private RouterOptions Limits => options.Value;

    public async Task<IReadOnlyList<SessionTurn>> ReadAsync(string sessionKey)
    {
        var values = await redis.GetDatabase().ListRangeAsync(RedisKeys.SessionTurns(sessionKey));
        var turns = values
            .Select(v => JsonSerializer.Deserialize((string)v!, SessionJsonContext.Stored.SessionTurn)!)
            .ToList();
        return Bounded(turns, Limits.MaxHistoryMessages, Limits.MaxHistoryCharacters);
    }

    /// <summary>Appends the turn's messages and trims the oldest past either bound; refreshes the TTL.</summary>
    public async Task AppendAsync(string sessionKey, IReadOnlyList<SessionTurn> history, params SessionTurn[] turns)
    {
        var key = RedisKeys.SessionTurns(sessionKey);
        var kept = Bounded([.. history, .. turns], Limits.MaxHistoryMessages, Limits.MaxHistoryCharacters).Count;
        var transaction = redis.GetDatabase().CreateTransaction();
        var push = transaction.ListRightPushAsync(key, turns
            .Select(t => (RedisValue)JsonSerializer.Serialize(t, SessionJsonContext.Stored.SessionTurn))
            .ToArray());
        var trim = transaction.ListTrimAsync(key, -Math.Max(kept, 1), -1);
        var expire = transaction.KeyExpireAsync(key, Limits.HistoryTtl);
        await transaction.ExecuteAsync();
        await Task.WhenAll(push, trim, expire);
    }

    public Task DeleteAsync(string sessionKey) => redis.GetDatabase().KeyDeleteAsync(RedisKeys.SessionTurns(sessionKey));

    /// <summary>The newest messages that fit both bounds (the newest one always stays, even when it alone is too long).</summary>
    public static IReadOnlyList<SessionTurn> Bounded(IReadOnlyList<SessionTurn> turns, int maxMessages, int maxCharacters)
    {
        var count = 0;
        var characters = 0;
        for (var i = turns.Count - 1; i >= 0 && count < maxMessages; i--)
        {
            characters += turns[i].Text.Length;
            if (count > 0 && characters > maxCharacters)
            {
                break;
            }
            count++;
        }
        return turns.Skip(turns.Count - count).ToList();
    }
}
