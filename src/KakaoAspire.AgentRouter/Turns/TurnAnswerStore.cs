using System.Text.Json;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// Finished answers by turn id (for held answers and repeated POSTs), and a marker for turns still in progress.
/// A turn itself stores its answer and clears its marker in its last script (<see cref="TurnStore.EndAsync"/>).
/// </summary>
public sealed class TurnAnswerStore(IConnectionMultiplexer redis)
{
    public async Task<TurnResponse?> FindAsync(string turnId)
    {
        var value = await redis.GetDatabase().StringGetAsync(RouterRedisKeys.TurnAnswer(turnId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, TurnJsonContext.Stored.TurnResponse);
    }

    public Task<bool> IsRunningAsync(string turnId) => redis.GetDatabase().KeyExistsAsync(RouterRedisKeys.TurnRunning(turnId));

    /// <summary>Once the webhook delivered the answer, it goes.</summary>
    public Task ForgetAsync(string turnId) => redis.GetDatabase().KeyDeleteAsync(RouterRedisKeys.TurnAnswer(turnId));

    /// <summary>Many delivered answers go in one command.</summary>
    public Task ForgetAsync(IReadOnlyList<string> turnIds)
    {
        var keys = new RedisKey[turnIds.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = RouterRedisKeys.TurnAnswer(turnIds[i]);
        }
        return redis.GetDatabase().KeyDeleteAsync(keys);
    }

    /// <summary>Lets a retry run a turn whose runner gave up without an answer.</summary>
    public Task AbandonAsync(string turnId) => redis.GetDatabase().KeyDeleteAsync(RouterRedisKeys.TurnRunning(turnId));
}
