using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>What claiming one held answer found.</summary>
public enum HeldClaim
{
    /// <summary>Taken off the list: this request delivers it.</summary>
    Claimed,
    /// <summary>Not on the list (already delivered).</summary>
    Gone,
    /// <summary>A callback POST carrying it is out right now; it is delivered there, or stays held if Kakao refuses.</summary>
    BeingPosted,
}

/// <summary>
/// Turns whose answer missed the reply, per user, oldest first, in Redis (so a webhook restart loses none). An answer
/// leaves the list when it is delivered; LREM is the claim, so two requests never deliver the same answer, and a claim
/// while a callback POST carries it is refused, so the callback and "답변 확인" never both deliver it.
/// </summary>
public sealed class HeldAnswerStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    // KEYS: held list, callback job. ARGV: turn id.
    private const string ClaimScript = """
        if redis.call('HGET', KEYS[2], 'posting') == '1' then return -1 end
        return redis.call('LREM', KEYS[1], 1, ARGV[1])
        """;

    public async Task HoldAsync(string accountId, string userId, string turnId)
    {
        var db = redis.GetDatabase();
        var key = WebhookRedisKeys.HeldAnswers(accountId, userId);
        // Sent together, answered in one round trip: this runs after the reply deadline, with the ack waiting.
        var push = db.ListRightPushAsync(key, turnId);
        var expire = db.KeyExpireAsync(key, Keep);
        await Task.WhenAll(push, expire);
    }

    public async Task<IReadOnlyList<string>> ListAsync(string accountId, string userId) =>
        (await redis.GetDatabase().ListRangeAsync(WebhookRedisKeys.HeldAnswers(accountId, userId))).Select(v => v.ToString()).ToList();

    public async Task<HeldClaim> ClaimAsync(string accountId, string userId, string turnId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
            [WebhookRedisKeys.HeldAnswers(accountId, userId), WebhookRedisKeys.Callback(turnId)], [turnId]) switch
        {
            -1 => HeldClaim.BeingPosted,
            > 0 => HeldClaim.Claimed,
            _ => HeldClaim.Gone,
        };
}
