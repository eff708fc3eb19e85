using System.Globalization;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Queue;

/// <summary>
/// The durable outbound queue on lists and sorted sets (the embedded Garnet has no Streams). A message id is
/// always in exactly one place: a group's ready list, the delayed set, or a leased batch; every move between
/// them is one Lua script or one MULTI/EXEC, so a crash between two commands cannot lose or double an id.
/// </summary>
public sealed class OutboundQueue(IConnectionMultiplexer redis)
{
    private const string ClaimScript = """
        local ids = {}
        for i = 1, tonumber(ARGV[1]) do
            local id = redis.call('RPOP', KEYS[1])
            if not id then break end
            ids[#ids + 1] = id
        end
        if redis.call('LLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[2], ARGV[4]) end
        if #ids == 0 then return '' end
        local joined = table.concat(ids, ',')
        redis.call('HSET', KEYS[3], 'ids', joined, 'group', ARGV[4], 'state', 'claimed', 'attempts', '0')
        redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
        return joined
        """;

    private const string ReclaimScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return 1
        """;

    private const string PromoteScript = """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
            redis.call('LPUSH', KEYS[2], ARGV[1])
            redis.call('SADD', KEYS[3], ARGV[2])
            return 1
        end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Moves delayed messages whose time has come to their group's ready list.</summary>
    public async Task<int> PromoteDueAsync(DateTimeOffset now)
    {
        var due = await Db.SortedSetRangeByScoreAsync(RedisKeys.OutboundDelayed, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: 500);
        var moved = 0;
        foreach (var id in due)
        {
            var group = await Db.HashGetAsync(RedisKeys.OutboundMessage(id!), "group");
            if (group.IsNullOrEmpty)
            {
                await Db.SortedSetRemoveAsync(RedisKeys.OutboundDelayed, id);
                continue;
            }
            var result = await Db.ScriptEvaluateAsync(PromoteScript,
                [RedisKeys.OutboundDelayed, RedisKeys.OutboundReady(group!), RedisKeys.OutboundGroups], [id, group]);
            moved += (int)result;
        }
        return moved;
    }

    /// <summary>Takes over batches whose lease expired (a dead worker's, or one waiting for a retry), extending the lease.</summary>
    public async Task<IReadOnlyList<string>> ReclaimExpiredAsync(DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        var expired = await Db.SortedSetRangeByScoreAsync(RedisKeys.OutboundLeases, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: 50);
        var reclaimed = new List<string>();
        foreach (var batchId in expired)
        {
            var result = await Db.ScriptEvaluateAsync(ReclaimScript, [RedisKeys.OutboundLeases],
                [batchId, now.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds()]);
            if ((int)result == 1)
            {
                reclaimed.Add(batchId!);
            }
        }
        return reclaimed;
    }

    public async Task<IReadOnlyList<string>> GroupsAsync() =>
        [.. (await Db.SetMembersAsync(RedisKeys.OutboundGroups)).Select(g => g.ToString())];

    /// <summary>Moves up to <paramref name="max"/> ready ids of a group into a new leased batch, atomically.</summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(string group, int max, string batchId, DateTimeOffset leaseUntil)
    {
        var joined = (string?)await Db.ScriptEvaluateAsync(ClaimScript,
            [RedisKeys.OutboundReady(group), RedisKeys.OutboundGroups, RedisKeys.OutboundBatch(batchId), RedisKeys.OutboundLeases],
            [max, leaseUntil.ToUnixTimeMilliseconds(), batchId, group]);
        return string.IsNullOrEmpty(joined) ? [] : joined.Split(',');
    }

    public async Task<BatchRecord?> GetBatchAsync(string batchId)
    {
        var fields = await Db.HashGetAllAsync(RedisKeys.OutboundBatch(batchId));
        if (fields.Length == 0)
        {
            return null;
        }
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        return new BatchRecord(
            batchId,
            map.GetValueOrDefault("group", ""),
            map.GetValueOrDefault("ids", "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            map.GetValueOrDefault("state", BatchState.Claimed),
            map.GetValueOrDefault("body"),
            long.TryParse(map.GetValueOrDefault("firstSentAt"), out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            int.TryParse(map.GetValueOrDefault("attempts"), out var n) ? n : 0);
    }

    /// <summary>Stores the request body before the first call: after a crash only this identical request is resent.</summary>
    public Task PersistAsync(string batchId, string body, DateTimeOffset at) =>
        Db.HashSetAsync(RedisKeys.OutboundBatch(batchId),
        [
            new("body", body), new("state", BatchState.Persisted),
            new("firstSentAt", at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
        ]);

    public async Task MarkCallingAsync(string batchId, int attempts, DateTimeOffset leaseUntil)
    {
        var tran = Db.CreateTransaction();
        _ = tran.HashSetAsync(RedisKeys.OutboundBatch(batchId), [new("state", BatchState.Calling), new("attempts", attempts)]);
        _ = tran.SortedSetAddAsync(RedisKeys.OutboundLeases, batchId, leaseUntil.ToUnixTimeMilliseconds());
        await tran.ExecuteAsync();
    }

    /// <summary>Keeps the batch, to be taken up again (by any replica) at <paramref name="at"/>.</summary>
    public async Task RetryAtAsync(string batchId, string state, int attempts, DateTimeOffset at,
        IReadOnlyList<string>? messageIds = null, string? reason = null, string? updatedAt = null)
    {
        var tran = Db.CreateTransaction();
        foreach (var id in reason is null ? [] : messageIds ?? [])
        {
            _ = tran.HashSetAsync(RedisKeys.OutboundMessage(id),
                [new("reason", reason), new("attempts", attempts), new("updatedAt", updatedAt ?? "")]);
        }
        _ = tran.HashSetAsync(RedisKeys.OutboundBatch(batchId), [new("state", state), new("attempts", attempts)]);
        _ = tran.SortedSetAddAsync(RedisKeys.OutboundLeases, batchId, at.ToUnixTimeMilliseconds());
        await tran.ExecuteAsync();
    }

    /// <summary>Ends a batch: message records, polls, deferrals, requeues and counters, with the batch removed, in one transaction.</summary>
    public async Task CommitAsync(string batchId, BatchCommit commit)
    {
        var tran = Db.CreateTransaction();
        foreach (var (id, fields) in commit.Updates)
        {
            _ = tran.HashSetAsync(RedisKeys.OutboundMessage(id), [.. fields.Select(f => new HashEntry(f.Key, f.Value))]);
        }
        foreach (var (id, at) in commit.Polls)
        {
            _ = tran.SortedSetAddAsync(RedisKeys.OutboundPolling, id, at.ToUnixTimeMilliseconds());
        }
        foreach (var (id, at) in commit.Deferrals)
        {
            _ = tran.SortedSetAddAsync(RedisKeys.OutboundDelayed, id, at.ToUnixTimeMilliseconds());
        }
        foreach (var (id, group) in commit.Requeues)
        {
            _ = tran.ListLeftPushAsync(RedisKeys.OutboundReady(group), id);
            _ = tran.SetAddAsync(RedisKeys.OutboundGroups, group);
        }
        foreach (var (account, counter, lastField, at) in commit.Stats)
        {
            _ = tran.HashIncrementAsync(RedisKeys.OutboundStats(account), counter);
            _ = tran.HashSetAsync(RedisKeys.OutboundStats(account), lastField, at);
        }
        foreach (var (account, at) in commit.Sends)
        {
            // The status API's contract (RedisKeys.AccountOutbound): count and lastAt of outbound sends.
            _ = tran.HashIncrementAsync(RedisKeys.AccountOutbound(account), "count");
            _ = tran.HashSetAsync(RedisKeys.AccountOutbound(account), "lastAt", at);
        }
        if (commit.LastError is not null && commit.AccountId is not null)
        {
            _ = tran.HashSetAsync(RedisKeys.OutboundStats(commit.AccountId), "lastError", commit.LastError);
        }
        _ = tran.KeyDeleteAsync(RedisKeys.OutboundBatch(batchId));
        _ = tran.SortedSetRemoveAsync(RedisKeys.OutboundLeases, batchId);
        await tran.ExecuteAsync();
    }

    public async Task<IReadOnlyList<string>> DuePollsAsync(DateTimeOffset now, int take) =>
        [.. (await Db.SortedSetRangeByScoreAsync(RedisKeys.OutboundPolling, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: take))
            .Select(v => v.ToString())];

    public Task PollAgainAtAsync(string messageId, DateTimeOffset at) =>
        Db.SortedSetAddAsync(RedisKeys.OutboundPolling, messageId, at.ToUnixTimeMilliseconds());

    public async Task FinishPollAsync(string messageId, Dictionary<string, string> fields, string? accountId, string? counter, string? lastField, string at)
    {
        var tran = Db.CreateTransaction();
        _ = tran.HashSetAsync(RedisKeys.OutboundMessage(messageId), [.. fields.Select(f => new HashEntry(f.Key, f.Value))]);
        _ = tran.SortedSetRemoveAsync(RedisKeys.OutboundPolling, messageId);
        if (accountId is not null && counter is not null && lastField is not null)
        {
            _ = tran.HashIncrementAsync(RedisKeys.OutboundStats(accountId), counter);
            _ = tran.HashSetAsync(RedisKeys.OutboundStats(accountId), lastField, at);
        }
        await tran.ExecuteAsync();
    }

    /// <summary>
    /// Sends a message again as a new request after Kakao reported a passing delivery failure: out of the poll set
    /// and into its ready list (or the delayed set until <paramref name="dueAt"/>) in one transaction.
    /// </summary>
    public async Task ResendFromPollAsync(string messageId, string group, Dictionary<string, string> fields, DateTimeOffset? dueAt)
    {
        var tran = Db.CreateTransaction();
        _ = tran.HashSetAsync(RedisKeys.OutboundMessage(messageId), [.. fields.Select(f => new HashEntry(f.Key, f.Value))]);
        _ = tran.HashDeleteAsync(RedisKeys.OutboundMessage(messageId), ["providerRequestId", "recipientSeq", "sentAt"]);
        _ = tran.SortedSetRemoveAsync(RedisKeys.OutboundPolling, messageId);
        if (dueAt is { } at)
        {
            _ = tran.SortedSetAddAsync(RedisKeys.OutboundDelayed, messageId, at.ToUnixTimeMilliseconds());
        }
        else
        {
            _ = tran.ListLeftPushAsync(RedisKeys.OutboundReady(group), messageId);
            _ = tran.SetAddAsync(RedisKeys.OutboundGroups, group);
        }
        await tran.ExecuteAsync();
    }

    /// <summary>The stored fields of a message (payload, status, provider ids).</summary>
    public async Task<Dictionary<string, string>> GetMessageFieldsAsync(string messageId) =>
        (await Db.HashGetAllAsync(RedisKeys.OutboundMessage(messageId))).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
}
