using System.Text.Json;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>A session's history in Redis: a list of JSON turns, newest last, bounded and expiring.</summary>
public sealed class SessionStore(IConnectionMultiplexer redis)
{
    /// <summary>Kept turns per session (user and assistant messages each count one).</summary>
    public const int MaxTurns = 40;

    /// <summary>History is personal data: it goes away after a week without a message.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<SessionTurn>> ReadAsync(string sessionKey)
    {
        var values = await redis.GetDatabase().ListRangeAsync(RedisKeys.SessionTurns(sessionKey));
        return values
            .Select(v => JsonSerializer.Deserialize((string)v!, SessionJsonContext.Stored.SessionTurn)!)
            .ToList();
    }

    public async Task AppendAsync(string sessionKey, params SessionTurn[] turns)
    {
        var key = RedisKeys.SessionTurns(sessionKey);
        var batch = redis.GetDatabase().CreateBatch();
        var push = batch.ListRightPushAsync(key, turns
            .Select(t => (RedisValue)JsonSerializer.Serialize(t, SessionJsonContext.Stored.SessionTurn))
            .ToArray());
        var trim = batch.ListTrimAsync(key, -MaxTurns, -1);
        var expire = batch.KeyExpireAsync(key, Ttl);
        batch.Execute();
        await Task.WhenAll(push, trim, expire);
    }
}
