using System.Text.Json;
using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// Finished answers by turn id (for held answers and repeated POSTs), and a marker for turns still in progress.
/// </summary>
public sealed class TurnAnswerStore(IConnectionMultiplexer redis, IOptions<RouterOptions> options)
{
    public async Task<TurnResponse?> FindAsync(string turnId)
    {
        var value = await redis.GetDatabase().StringGetAsync(RouterRedisKeys.TurnAnswer(turnId));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)value!, TurnJsonContext.Stored.TurnResponse);
    }

    /// <summary>Claims the turn; false when another request for the same turn id already runs it.</summary>
    public Task<bool> TryStartAsync(string turnId, TimeSpan budget) =>
        redis.GetDatabase().StringSetAsync(RouterRedisKeys.TurnRunning(turnId), Environment.MachineName, budget, When.NotExists);

    public Task<bool> IsRunningAsync(string turnId) => redis.GetDatabase().KeyExistsAsync(RouterRedisKeys.TurnRunning(turnId));

    /// <summary>Stores the answer first, then clears the marker, so a reader never sees neither.</summary>
    public async Task SaveAsync(TurnResponse answer)
    {
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        var set = transaction.StringSetAsync(RouterRedisKeys.TurnAnswer(answer.TurnId),
            JsonSerializer.Serialize(answer, TurnJsonContext.Stored.TurnResponse), options.Value.AnswerTtl);
        var clear = transaction.KeyDeleteAsync(RouterRedisKeys.TurnRunning(answer.TurnId));
        await transaction.ExecuteAsync();
        await Task.WhenAll(set, clear);
    }

    /// <summary>Once the webhook delivered the answer, it goes.</summary>
    public Task ForgetAsync(string turnId) => redis.GetDatabase().KeyDeleteAsync(RouterRedisKeys.TurnAnswer(turnId));

    /// <summary>Lets a retry run a turn whose runner gave up without an answer.</summary>
    public Task AbandonAsync(string turnId) => redis.GetDatabase().KeyDeleteAsync(RouterRedisKeys.TurnRunning(turnId));
}
