using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>
/// Which generation of a base session key is current; <c>/reset</c> moves to the next one. The turn's first script
/// reads it (and keeps it alive) along with the session lock (<c>TurnStore</c>).
/// </summary>
public sealed class SessionGenerations(IConnectionMultiplexer redis, IOptions<RouterOptions> options)
{
    /// <summary>
    /// Kept alive while the user talks, and twice as long as the history: an expired counter would send them back to
    /// the pre-reset key.
    /// </summary>
    public TimeSpan Lifetime => options.Value.HistoryTtl * 2;

    /// <summary>Returns the new session key. Absent counts as generation 1, so the first reset yields <c>:g2</c>.</summary>
    public async Task<string> AdvanceAsync(string baseKey)
    {
        var key = RouterRedisKeys.SessionGeneration(baseKey);
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.StringSetAsync(key, 1, when: When.NotExists);
        var next = transaction.StringIncrementAsync(key);
        _ = transaction.KeyExpireAsync(key, Lifetime);
        await transaction.ExecuteAsync();
        return SessionKeys.WithGeneration(baseKey, await next);
    }
}
