using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>Which generation of a base session key is current; <c>/reset</c> moves to the next one.</summary>
public sealed class SessionGenerations(IConnectionMultiplexer redis, IOptions<RouterOptions> options)
{
    private TimeSpan Lifetime => options.Value.HistoryTtl * 2;

    public async Task<string> CurrentKeyAsync(string baseKey)
    {
        var key = RouterRedisKeys.SessionGeneration(baseKey);
        var batch = redis.GetDatabase().CreateBatch();
        var get = batch.StringGetAsync(key);
        // Kept alive while the user talks: an expired counter would send them back to the pre-reset key.
        var expire = batch.KeyExpireAsync(key, Lifetime);
        batch.Execute();
        await Task.WhenAll(get, expire);
        var value = await get;
        return SessionKeys.WithGeneration(baseKey, value.TryParse(out long generation) ? generation : 1);
    }

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
