using System.Text.Json;
using KakaoAspire.Webhook.Access;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Pairing;

/// <summary>
/// Pairing requests and approvals in Redis (docs/moltbot-channel-rules.md#dmpolicy-and-pairing): one code per user while it is pending, valid 1 hour,
/// at most 3 pending per account; approved ids are a set per account, read on every message of a pairing account.
/// </summary>
public sealed class PairingStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public const int MaxPending = 3;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>A new code for the user, or null when the user already has one pending or the account has 3 pending.</summary>
    public async Task<string?> RequestAsync(string accountId, string userId)
    {
        var db = redis.GetDatabase();
        var code = PairingCode.New();
        var userKey = WebhookRedisKeys.PairingUser(accountId, userId.ToLowerInvariant());
        // The NX is the "once": a user who already holds a pending code gets no second one.
        if (!await db.StringSetAsync(userKey, code, Lifetime, When.NotExists))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var request = new PairingRequest(accountId, code, userId, now, now + Lifetime);
        var pending = WebhookRedisKeys.PairingPending(accountId);
        await db.StringSetAsync(WebhookRedisKeys.PairingCode(code), JsonSerializer.Serialize(request, JsonSerializerOptions.Web), Lifetime);
        await db.SortedSetRemoveRangeByScoreAsync(pending, double.NegativeInfinity, now.ToUnixTimeSeconds());
        await db.SortedSetAddAsync(pending, code, request.ExpiresAt.ToUnixTimeSeconds());
        await db.KeyExpireAsync(pending, Lifetime);
        // Add, then count: two racing requests may both back off, but never four end up pending.
        if (await db.SortedSetLengthAsync(pending) > MaxPending)
        {
            await db.SortedSetRemoveAsync(pending, code);
            await db.KeyDeleteAsync([WebhookRedisKeys.PairingCode(code), userKey]);
            return null;
        }
        return code;
    }

    public async Task<bool> IsApprovedAsync(string accountId, KakaoUserIds user)
    {
        var db = redis.GetDatabase();
        var approved = WebhookRedisKeys.PairingApproved(accountId);
        foreach (var id in user.Typed().Select(t => t.Id.ToLowerInvariant()).Prepend(user.StableId.ToLowerInvariant()).Distinct())
        {
            if (await db.SetContainsAsync(approved, id))
            {
                return true;
            }
        }
        return false;
    }

    public async Task<IReadOnlyList<PairingRequest>> ListAsync(IEnumerable<string> accountIds)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var list = new List<PairingRequest>();
        foreach (var accountId in accountIds)
        {
            var codes = await db.SortedSetRangeByScoreAsync(WebhookRedisKeys.PairingPending(accountId), now, double.PositiveInfinity);
            foreach (var code in codes)
            {
                if (await FindAsync(db, code!) is { } request)
                {
                    list.Add(request);
                }
            }
        }
        return list;
    }

    /// <summary>Approves a pending code: its user id joins the account's approved set. Null for an unknown or expired code.</summary>
    public async Task<PairingRequest?> ApproveAsync(string code, string? accountId)
    {
        var db = redis.GetDatabase();
        code = PairingCode.Normalize(code);
        var request = await FindAsync(db, code);
        if (request is null
            || (!string.IsNullOrWhiteSpace(accountId) && !string.Equals(request.AccountId, accountId.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        // Deleting the code is the claim: of two racing approvals only one sees true.
        if (!await db.KeyDeleteAsync(WebhookRedisKeys.PairingCode(code)))
        {
            return null;
        }
        await db.SetAddAsync(WebhookRedisKeys.PairingApproved(request.AccountId), request.UserId.ToLowerInvariant());
        await db.SortedSetRemoveAsync(WebhookRedisKeys.PairingPending(request.AccountId), code);
        await db.KeyDeleteAsync(WebhookRedisKeys.PairingUser(request.AccountId, request.UserId.ToLowerInvariant()));
        return request;
    }

    /// <summary>
    /// Records the code OpenClaw's pairing store gave the user (the account's agents are in OpenClaw) as the user's
    /// pending request here, so both stores list one code for one request. A different code the user held here before
    /// (given while the gateway was away) is replaced: a user has one pending code at a time. OpenClaw caps the pending.
    /// </summary>
    public async Task MirrorAsync(string accountId, string userId, string code)
    {
        var db = redis.GetDatabase();
        code = PairingCode.Normalize(code);
        var now = time.GetUtcNow();
        var request = new PairingRequest(accountId, code, userId, now, now + Lifetime);
        var userKey = WebhookRedisKeys.PairingUser(accountId, userId.ToLowerInvariant());
        var previous = await db.StringGetSetAsync(userKey, code);
        await db.KeyExpireAsync(userKey, Lifetime);
        var old = previous.IsNullOrEmpty ? null : previous.ToString();
        if (old is not null && old != code)
        {
            await db.KeyDeleteAsync(WebhookRedisKeys.PairingCode(old));
            await db.SortedSetRemoveAsync(WebhookRedisKeys.PairingPending(accountId), old);
        }
        var pending = WebhookRedisKeys.PairingPending(accountId);
        await db.StringSetAsync(WebhookRedisKeys.PairingCode(code), JsonSerializer.Serialize(request, JsonSerializerOptions.Web), Lifetime);
        await db.SortedSetRemoveRangeByScoreAsync(pending, double.NegativeInfinity, now.ToUnixTimeSeconds());
        await db.SortedSetAddAsync(pending, code, request.ExpiresAt.ToUnixTimeSeconds());
        await db.KeyExpireAsync(pending, Lifetime);
    }

    /// <summary>Approves a user by id (approved in OpenClaw's store): the user joins the approved set, a pending code of theirs ends.</summary>
    public async Task ApproveUserAsync(string accountId, string userId)
    {
        var db = redis.GetDatabase();
        var id = userId.ToLowerInvariant();
        await db.SetAddAsync(WebhookRedisKeys.PairingApproved(accountId), id);
        var userKey = WebhookRedisKeys.PairingUser(accountId, id);
        if (await db.StringGetDeleteAsync(userKey) is { IsNullOrEmpty: false } code)
        {
            await db.KeyDeleteAsync(WebhookRedisKeys.PairingCode(code.ToString()));
            await db.SortedSetRemoveAsync(WebhookRedisKeys.PairingPending(accountId), code.ToString());
        }
    }

    private static async Task<PairingRequest?> FindAsync(IDatabase db, string code)
    {
        var json = await db.StringGetAsync(WebhookRedisKeys.PairingCode(code));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<PairingRequest>(json.ToString(), JsonSerializerOptions.Web);
    }
}
