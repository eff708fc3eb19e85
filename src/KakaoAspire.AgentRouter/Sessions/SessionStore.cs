using System.Text.Json;
using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>
/// A session's history in Redis: a list of JSON turns, newest last, bounded in messages and characters, expiring.
/// Writers hold the session lock, and the append checks it is still theirs.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IOptions<RouterOptions> options)
{
    private RouterOptions Limits => options.Value;

    public async Task<IReadOnlyList<SessionTurn>> ReadAsync(string sessionKey)
    {
        var values = await redis.GetDatabase().ListRangeAsync(RouterRedisKeys.SessionTurns(sessionKey));
        var turns = values
            .Select(v => JsonSerializer.Deserialize((string)v!, SessionJsonContext.Stored.SessionTurn)!)
            .ToList();
        return Bounded(turns, Limits.MaxHistoryMessages, Limits.MaxHistoryCharacters);
    }

    // The write and the check that the session lock is still ours are one step: a turn whose lock lapsed (a Redis
    // outage longer than the lease) and was taken by the next turn cannot append beside it.
    private const string AppendScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        for i = 4, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    /// <summary>
    /// Appends the turn's messages and trims the oldest past either bound; refreshes the TTL. Only while the session
    /// lock <paramref name="lockKey"/> still holds <paramref name="lockToken"/>; false (nothing written) when it was lost.
    /// </summary>
    public async Task<bool> AppendAsync(
        string sessionKey, string lockKey, string lockToken, IReadOnlyList<SessionTurn> history, params SessionTurn[] turns)
    {
        var kept = Bounded([.. history, .. turns], Limits.MaxHistoryMessages, Limits.MaxHistoryCharacters).Count;
        RedisValue[] args =
        [
            lockToken, Math.Max(kept, 1), (long)Limits.HistoryTtl.TotalMilliseconds,
            .. turns.Select(t => (RedisValue)JsonSerializer.Serialize(t, SessionJsonContext.Stored.SessionTurn)),
        ];
        var written = await redis.GetDatabase().ScriptEvaluateAsync(AppendScript, [lockKey, RouterRedisKeys.SessionTurns(sessionKey)], args);
        return (long)written == 1;
    }

    public Task DeleteAsync(string sessionKey) => redis.GetDatabase().KeyDeleteAsync(RouterRedisKeys.SessionTurns(sessionKey));

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
