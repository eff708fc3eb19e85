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
        var userKey = RedisKeys.PairingUser(accountId, userId.ToLowerInvariant());
        // The NX is the "once": a user who already holds a pending code gets no second one.
        if (!await db.StringSetAsync(userKey, code, Lifetime, When.NotExists))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var request = new PairingRequest(accountId, code, userId, now, now + Lifetime);
        var pending = RedisKeys.PairingPending(accountId);
        await db.StringSetAsync(RedisKeys.PairingCode(code), JsonSerializer.Serialize(request, JsonSerializerOptions.Web), Lifetime);
        await db.SortedSetRemoveRangeByScoreAsync(pending, double.NegativeInfinity, now.ToUnixTimeSeconds());
        await db.SortedSetAddAsync(pending, code, request.ExpiresAt.ToUnixTimeSeconds());
        await db.KeyExpireAsync(pending, Lifetime);
        // Add, then count: two racing requests may both back off, but never four end up pending.
        if (await db.SortedSetLengthAsync(pending) > MaxPending)
        {
            await db.SortedSetRemoveAsync(pending, code);
            await db.KeyDeleteAsync([RedisKeys.PairingCode(code), userKey]);
            return null;
        }
        return code;
    }

    public async Task<bool> IsApprovedAsync(string accountId, KakaoUserIds user)
    {
        var db = redis.GetDatabase();
        var approved = RedisKeys.PairingApproved(accountId);
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
            var codes = await db.SortedSetRangeByScoreAsync(RedisKeys.PairingPending(accountId), now, double.PositiveInfinity);
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
        if (!await db.KeyDeleteAsync(RedisKeys.PairingCode(code)))
        {
            return null;
        }
        await db.SetAddAsync(RedisKeys.PairingApproved(request.AccountId), request.UserId.ToLowerInvariant());
        await db.SortedSetRemoveAsync(RedisKeys.PairingPending(request.AccountId), code);
        await db.KeyDeleteAsync(RedisKeys.PairingUser(request.AccountId, request.UserId.ToLowerInvariant()));
        return request;
    }

    private static async Task<PairingRequest?> FindAsync(IDatabase db, string code)
    {
        var json = await db.StringGetAsync(RedisKeys.PairingCode(code));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<PairingRequest>(json.ToString(), JsonSerializerOptions.Web);
    }
}
