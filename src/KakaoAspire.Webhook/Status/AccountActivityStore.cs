using System.Globalization;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Status;

/// <summary>Last time and count per direction.</summary>
public sealed record ActivitySnapshot(DateTimeOffset? LastAt, long Count);

/// <summary>
/// Per-account activity for the status API: the webhook writes its own <see cref="WebhookRedisKeys.AccountInbound"/>
/// (<c>lastAt</c>, <c>count</c>, <c>lastError</c>, <c>lastErrorAt</c>); the friendtalk service writes the shared
/// <see cref="AccountOutboundActivity"/> record (the same <c>lastAt</c> and <c>count</c>).
/// </summary>
public sealed class AccountActivityStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public const string LastAt = AccountOutboundActivity.LastAt;
    public const string Count = AccountOutboundActivity.Count;
    public const string LastError = "lastError";
    public const string LastErrorAt = "lastErrorAt";

    /// <summary>
    /// Counts one request that starts no turn (a turn's request is counted in its round trip before the turn,
    /// <see cref="TurnStartStore"/>). Both commands are sent together: one round trip.
    /// </summary>
    public async Task RecordInboundAsync(string accountId)
    {
        var db = redis.GetDatabase();
        var key = WebhookRedisKeys.AccountInbound(accountId);
        await Task.WhenAll(db.HashIncrementAsync(key, Count), db.HashSetAsync(key, LastAt, Now()));
    }

    /// <summary>
    /// Best effort: when Redis itself is the error, there is nowhere to write it but the log. A request that failed
    /// before it was counted (<paramref name="countInbound"/>) is counted with its error.
    /// </summary>
    public async Task TryRecordErrorAsync(string accountId, string error, bool countInbound = false)
    {
        try
        {
            var db = redis.GetDatabase();
            var key = WebhookRedisKeys.AccountInbound(accountId);
            var now = Now();
            await (countInbound
                ? Task.WhenAll(db.HashIncrementAsync(key, Count), db.HashSetAsync(key, [new(LastAt, now), new(LastError, error), new(LastErrorAt, now)]))
                : db.HashSetAsync(key, [new(LastError, error), new(LastErrorAt, now)]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
        }
    }

    public async Task<(ActivitySnapshot In, ActivitySnapshot Out, string? LastError, DateTimeOffset? LastErrorAt)> ReadAsync(string accountId)
    {
        var db = redis.GetDatabase();
        var inbound = (await db.HashGetAllAsync(WebhookRedisKeys.AccountInbound(accountId))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        var outbound = (await db.HashGetAllAsync(AccountOutboundActivity.Key(accountId))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        return (Snapshot(inbound), Snapshot(outbound), inbound.GetValueOrDefault(LastError), Time(inbound.GetValueOrDefault(LastErrorAt)));
    }

    private string Now() => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static ActivitySnapshot Snapshot(Dictionary<string, string> hash) =>
        new(Time(hash.GetValueOrDefault(LastAt)), long.TryParse(hash.GetValueOrDefault(Count), CultureInfo.InvariantCulture, out var count) ? count : 0);

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
