using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Turns whose answer missed the reply, per user, oldest first, in Redis (so a webhook restart loses none). An answer
/// leaves the list when it is delivered; LREM is the claim, so two requests never deliver the same answer.
/// </summary>
public sealed class HeldAnswerStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    public async Task HoldAsync(string accountId, string userId, string turnId)
    {
        var db = redis.GetDatabase();
        var key = RedisKeys.HeldAnswers(accountId, userId);
        await db.ListRightPushAsync(key, turnId);
        await db.KeyExpireAsync(key, Keep);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string accountId, string userId) =>
        (await redis.GetDatabase().ListRangeAsync(RedisKeys.HeldAnswers(accountId, userId))).Select(v => v.ToString()).ToList();

    public async Task<bool> ClaimAsync(string accountId, string userId, string turnId) =>
        await redis.GetDatabase().ListRemoveAsync(RedisKeys.HeldAnswers(accountId, userId), turnId, 1) > 0;
}
