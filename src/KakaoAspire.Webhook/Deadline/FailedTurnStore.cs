using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Turns whose agent-router call failed, by turn id, kept in Redis for a day. A router killed mid-turn never stores an
/// answer, and its claim on the turn answers "running" until the turn's budget runs out (two agent timeouts and a lease).
/// This process keeps the failed task only for the dedupe window, so without this record a held turn of a dead router
/// stayed "running" for minutes after that, and the answers held behind it waited too. With it, the user's next message
/// reads the polite failure, from any replica, after a restart of this one too.
/// </summary>
public sealed class FailedTurnStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    public Task RecordAsync(string turnId) => redis.GetDatabase().StringSetAsync(WebhookRedisKeys.FailedTurn(turnId), 1, Keep);

    public Task<bool> IsFailedAsync(string turnId) => redis.GetDatabase().KeyExistsAsync(WebhookRedisKeys.FailedTurn(turnId));
}
