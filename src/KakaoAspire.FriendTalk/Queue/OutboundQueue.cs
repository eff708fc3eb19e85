using System.Globalization;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Queue;

/// <summary>
/// The durable outbound queue on lists and sorted sets (the embedded Garnet has no Streams). A message id is
/// always in exactly one place: a group's ready list, the delayed set, or a leased batch; every move between
/// them is one Lua script or one MULTI/EXEC, so a crash between two commands cannot lose or double an id.
/// Every write to a leased batch names the lease holder's token and happens only while the batch still holds it, so a
/// worker whose lease ran out (a pause, a slow call) cannot commit over the replica that took the batch over.
/// </summary>
public sealed class OutboundQueue(IConnectionMultiplexer redis, Sending.OutboundSignals signals)
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
        redis.call('HSET', KEYS[3], 'ids', joined, 'group', ARGV[4], 'state', 'claimed', 'attempts', '0', 'holder', ARGV[5])
        redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
        return joined
        """;

    private const string ReclaimScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], 'holder', ARGV[4]) end
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

    // The holder check, then the writes: ARGV[1] is the holder's token, then per write its command, the index of its
    // key in KEYS, its argument count and the arguments. All keys are declared, as Redis asks of a script.
    private const string HolderWriteScript = """
        if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then return 0 end
        local unpack = unpack or table.unpack
        local i = 2
        while i <= #ARGV do
            local argc = tonumber(ARGV[i + 2])
            redis.call(ARGV[i], KEYS[tonumber(ARGV[i + 1])], unpack(ARGV, i + 3, i + 2 + argc))
            i = i + 3 + argc
        end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Writes to one leased batch that happen only while <c>holder</c> still holds its lease.</summary>
    private sealed class HolderWrite
    {
        private readonly List<RedisKey> _keys = [];
        private readonly Dictionary<string, int> _keyIndex = [];
        private readonly List<RedisValue> _args = [];

        public HolderWrite(string batchId, string holder)
        {
            Key(FriendTalkRedisKeys.OutboundBatch(batchId));
            _args.Add(holder);
        }

        public HolderWrite Add(string command, string key, params RedisValue[] args)
        {
            _args.Add(command);
            _args.Add(Key(key));
            _args.Add(args.Length);
            _args.AddRange(args);
            return this;
        }

        public async Task<bool> ExecuteAsync(IDatabase db) =>
            (long)await db.ScriptEvaluateAsync(HolderWriteScript, [.. _keys], [.. _args]) == 1;

        private int Key(string key)
        {
            if (!_keyIndex.TryGetValue(key, out var index))
            {
                _keys.Add(key);
                _keyIndex[key] = index = _keys.Count;
            }
            return index;
        }
    }

    private static RedisValue[] Flat(IEnumerable<KeyValuePair<string, string>> fields) =>
        [.. fields.SelectMany(f => new RedisValue[] { f.Key, f.Value })];

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>Moves delayed messages whose time has come to their group's ready list.</summary>
    public async Task<int> PromoteDueAsync(DateTimeOffset now)
    {
        var due = await Db.SortedSetRangeByScoreAsync(FriendTalkRedisKeys.OutboundDelayed, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: 500);
        var moved = 0;
        foreach (var id in due)
        {
            var group = await Db.HashGetAsync(FriendTalkRedisKeys.OutboundMessage(id!), "group");
            if (group.IsNullOrEmpty)
            {
                await Db.SortedSetRemoveAsync(FriendTalkRedisKeys.OutboundDelayed, id);
                continue;
            }
            var result = await Db.ScriptEvaluateAsync(PromoteScript,
                [FriendTalkRedisKeys.OutboundDelayed, FriendTalkRedisKeys.OutboundReady(group!), FriendTalkRedisKeys.OutboundGroups], [id, group]);
            moved += (int)result;
        }
        return moved;
    }

    /// <summary>
    /// Takes over batches whose lease expired (a dead worker's, or one waiting for a retry), extending the lease and
    /// giving each a new holder token: the worker that held it before can no longer write to it.
    /// </summary>
    public async Task<IReadOnlyList<(string BatchId, string Holder)>> ReclaimExpiredAsync(DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        var expired = await Db.SortedSetRangeByScoreAsync(FriendTalkRedisKeys.OutboundLeases, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: 50);
        var reclaimed = new List<(string, string)>();
        foreach (var batchId in expired)
        {
            var holder = NewHolder();
            var result = await Db.ScriptEvaluateAsync(ReclaimScript, [FriendTalkRedisKeys.OutboundLeases, FriendTalkRedisKeys.OutboundBatch(batchId!)],
                [batchId, now.ToUnixTimeMilliseconds(), leaseUntil.ToUnixTimeMilliseconds(), holder]);
            if ((int)result == 1)
            {
                reclaimed.Add((batchId!, holder));
            }
        }
        return reclaimed;
    }

    /// <summary>
    /// When the sender next has something to do without a new send: the earliest delayed message's due time or
    /// lease expiry (a retry's time, a dead worker's batch); null when both sets are empty. One round trip.
    /// </summary>
    public async Task<DateTimeOffset?> NextDueAsync()
    {
        var delayed = Db.SortedSetRangeByRankWithScoresAsync(FriendTalkRedisKeys.OutboundDelayed, 0, 0);
        var leases = Db.SortedSetRangeByRankWithScoresAsync(FriendTalkRedisKeys.OutboundLeases, 0, 0);
        return Earliest([.. await delayed, .. await leases]);
    }

    /// <summary>When the earliest sent message's delivery result is next due to be asked for; null when none is waiting.</summary>
    public async Task<DateTimeOffset?> NextPollDueAsync() =>
        Earliest(await Db.SortedSetRangeByRankWithScoresAsync(FriendTalkRedisKeys.OutboundPolling, 0, 0));

    private static DateTimeOffset? Earliest(SortedSetEntry[] entries) =>
        entries.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)entries.Min(e => e.Score));

    /// <summary>A lease holder's token: random, one per claim or takeover.</summary>
    public static string NewHolder() => Guid.NewGuid().ToString("N");

    public async Task<IReadOnlyList<string>> GroupsAsync() =>
        [.. (await Db.SetMembersAsync(FriendTalkRedisKeys.OutboundGroups)).Select(g => g.ToString())];

    /// <summary>Moves up to <paramref name="max"/> ready ids of a group into a new leased batch, atomically.</summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(string group, int max, string batchId, string holder, DateTimeOffset leaseUntil)
    {
        var joined = (string?)await Db.ScriptEvaluateAsync(ClaimScript,
            [FriendTalkRedisKeys.OutboundReady(group), FriendTalkRedisKeys.OutboundGroups, FriendTalkRedisKeys.OutboundBatch(batchId), FriendTalkRedisKeys.OutboundLeases],
            [max, leaseUntil.ToUnixTimeMilliseconds(), batchId, group, holder]);
        return string.IsNullOrEmpty(joined) ? [] : joined.Split(',');
    }

    public async Task<BatchRecord?> GetBatchAsync(string batchId)
    {
        var fields = await Db.HashGetAllAsync(FriendTalkRedisKeys.OutboundBatch(batchId));
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
            int.TryParse(map.GetValueOrDefault("attempts"), out var n) ? n : 0,
            int.TryParse(map.GetValueOrDefault("faults"), out var f) ? f : 0);
    }

    /// <summary>Stores the request body before the first call: after a crash only this identical request is resent. False when the lease was lost.</summary>
    public Task<bool> PersistAsync(string batchId, string holder, string body, DateTimeOffset at) =>
        new HolderWrite(batchId, holder)
            .Add("HSET", FriendTalkRedisKeys.OutboundBatch(batchId), "body", body, "state", BatchState.Persisted,
                "firstSentAt", at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
            .ExecuteAsync(Db);

    /// <summary>Marks the call in flight with a fresh lease; false (do not call) when the lease was lost.</summary>
    public Task<bool> MarkCallingAsync(string batchId, string holder, int attempts, DateTimeOffset leaseUntil) =>
        new HolderWrite(batchId, holder)
            .Add("HSET", FriendTalkRedisKeys.OutboundBatch(batchId), "state", BatchState.Calling, "attempts", attempts)
            .Add("ZADD", FriendTalkRedisKeys.OutboundLeases, Ms(leaseUntil), batchId)
            .ExecuteAsync(Db);

    /// <summary>Keeps the batch, to be taken up again (by any replica) at <paramref name="at"/>. False when the lease was lost.</summary>
    public Task<bool> RetryAtAsync(string batchId, string holder, string state, int attempts, DateTimeOffset at,
        IReadOnlyList<string>? messageIds = null, string? reason = null, string? updatedAt = null)
    {
        var write = new HolderWrite(batchId, holder);
        foreach (var id in reason is null ? [] : messageIds ?? [])
        {
            write.Add("HSET", FriendTalkRedisKeys.OutboundMessage(id), "reason", reason, "attempts", attempts, "updatedAt", updatedAt ?? "");
        }
        return write
            .Add("HSET", FriendTalkRedisKeys.OutboundBatch(batchId), "state", state, "attempts", attempts)
            .Add("ZADD", FriendTalkRedisKeys.OutboundLeases, Ms(at), batchId)
            .ExecuteAsync(Db);
    }

    /// <summary>Counts one exception thrown while processing the batch and moves its lease to <paramref name="retryAt"/>; false when the lease was lost.</summary>
    public Task<bool> CountFaultAsync(string batchId, string holder, DateTimeOffset retryAt) =>
        new HolderWrite(batchId, holder)
            .Add("HINCRBY", FriendTalkRedisKeys.OutboundBatch(batchId), "faults", 1)
            .Add("ZADD", FriendTalkRedisKeys.OutboundLeases, Ms(retryAt), batchId)
            .ExecuteAsync(Db);

    /// <summary>
    /// Ends a batch: message records, polls, deferrals, requeues and counters, with the batch removed, in one script
    /// that first checks <paramref name="holder"/> still holds the lease. False (nothing written) when it does not.
    /// </summary>
    public async Task<bool> CommitAsync(string batchId, string holder, BatchCommit commit)
    {
        var write = new HolderWrite(batchId, holder);
        foreach (var (id, fields) in commit.Updates)
        {
            write.Add("HSET", FriendTalkRedisKeys.OutboundMessage(id), Flat(fields));
        }
        // One command per set, list, counter and last time, not one per message: a 1,000-message batch was ~6,000
        // commands in the script, now ~1,000 (the message records) and a few. The same writes, in the same order per key.
        if (commit.Polls.Count > 0)
        {
            write.Add("ZADD", FriendTalkRedisKeys.OutboundPolling, [.. commit.Polls.SelectMany(p => new RedisValue[] { Ms(p.At), p.MessageId })]);
        }
        if (commit.Deferrals.Count > 0)
        {
            write.Add("ZADD", FriendTalkRedisKeys.OutboundDelayed, [.. commit.Deferrals.SelectMany(d => new RedisValue[] { Ms(d.At), d.MessageId })]);
        }
        foreach (var group in commit.Requeues.GroupBy(r => r.Group))
        {
            write.Add("LPUSH", FriendTalkRedisKeys.OutboundReady(group.Key), [.. group.Select(r => (RedisValue)r.MessageId)]);
            write.Add("SADD", FriendTalkRedisKeys.OutboundGroups, group.Key);
        }
        foreach (var stat in commit.Stats.GroupBy(s => (s.AccountId, s.Counter, s.LastField)))
        {
            write.Add("HINCRBY", FriendTalkRedisKeys.OutboundStats(stat.Key.AccountId), stat.Key.Counter, stat.Count());
            write.Add("HSET", FriendTalkRedisKeys.OutboundStats(stat.Key.AccountId), stat.Key.LastField, stat.Last().At);
        }
        foreach (var sends in commit.Sends.GroupBy(s => s.AccountId))
        {
            // The record the webhook's status API reads (shared through Contracts).
            write.Add("HINCRBY", AccountOutboundActivity.Key(sends.Key), AccountOutboundActivity.Count, sends.Count());
            write.Add("HSET", AccountOutboundActivity.Key(sends.Key), AccountOutboundActivity.LastAt, sends.Last().UtcAt);
        }
        if (commit.LastError is not null && commit.AccountId is not null)
        {
            write.Add("HSET", FriendTalkRedisKeys.OutboundStats(commit.AccountId), "lastError", commit.LastError);
        }
        write.Add("ZREM", FriendTalkRedisKeys.OutboundLeases, batchId);
        // Last: the holder check reads this key.
        write.Add("DEL", FriendTalkRedisKeys.OutboundBatch(batchId));
        if (!await write.ExecuteAsync(Db))
        {
            return false;
        }
        // After the write: a loop woken now finds the work in Redis.
        if (commit.Polls.Count > 0)
        {
            signals.Poller.Wake();
        }
        if (commit.Requeues.Count > 0 || commit.Deferrals.Count > 0)
        {
            signals.Sender.Wake();
        }
        return true;
    }

    /// <summary>Drops the lease of a batch whose record is gone (already committed): nothing is left to hold.</summary>
    public Task ForgetLeaseAsync(string batchId) => Db.SortedSetRemoveAsync(FriendTalkRedisKeys.OutboundLeases, batchId);

    public async Task<IReadOnlyList<string>> DuePollsAsync(DateTimeOffset now, int take) =>
        [.. (await Db.SortedSetRangeByScoreAsync(FriendTalkRedisKeys.OutboundPolling, double.NegativeInfinity, now.ToUnixTimeMilliseconds(), take: take))
            .Select(v => v.ToString())];

    /// <summary>Counts one failed delivery query of a message; the new count sets how long it waits before the next.</summary>
    public Task<long> CountPollFailureAsync(string messageId) => Db.HashIncrementAsync(FriendTalkRedisKeys.OutboundMessage(messageId), "pollFailures");

    public Task PollAgainAtAsync(string messageId, DateTimeOffset at) =>
        Db.SortedSetAddAsync(FriendTalkRedisKeys.OutboundPolling, messageId, at.ToUnixTimeMilliseconds());

    public async Task FinishPollAsync(string messageId, Dictionary<string, string> fields, string? accountId, string? counter, string? lastField, string at)
    {
        var tran = Db.CreateTransaction();
        _ = tran.HashSetAsync(FriendTalkRedisKeys.OutboundMessage(messageId), [.. fields.Select(f => new HashEntry(f.Key, f.Value))]);
        _ = tran.SortedSetRemoveAsync(FriendTalkRedisKeys.OutboundPolling, messageId);
        if (accountId is not null && counter is not null && lastField is not null)
        {
            _ = tran.HashIncrementAsync(FriendTalkRedisKeys.OutboundStats(accountId), counter);
            _ = tran.HashSetAsync(FriendTalkRedisKeys.OutboundStats(accountId), lastField, at);
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
        _ = tran.HashSetAsync(FriendTalkRedisKeys.OutboundMessage(messageId), [.. fields.Select(f => new HashEntry(f.Key, f.Value))]);
        _ = tran.HashDeleteAsync(FriendTalkRedisKeys.OutboundMessage(messageId), ["providerRequestId", "recipientSeq", "sentAt"]);
        _ = tran.SortedSetRemoveAsync(FriendTalkRedisKeys.OutboundPolling, messageId);
        if (dueAt is { } at)
        {
            _ = tran.SortedSetAddAsync(FriendTalkRedisKeys.OutboundDelayed, messageId, at.ToUnixTimeMilliseconds());
        }
        else
        {
            _ = tran.ListLeftPushAsync(FriendTalkRedisKeys.OutboundReady(group), messageId);
            _ = tran.SetAddAsync(FriendTalkRedisKeys.OutboundGroups, group);
        }
        await tran.ExecuteAsync();
        signals.Sender.Wake();
    }

    /// <summary>
    /// What the sender needs of a message to send it: its payload (null when the record is gone) and how many resend
    /// rounds it went through. Two fields, not the whole record: a batch reads a thousand of these.
    /// </summary>
    public async Task<(string? Payload, int Rounds)> GetSendableAsync(string messageId)
    {
        var values = await Db.HashGetAsync(FriendTalkRedisKeys.OutboundMessage(messageId), ["payload", "rounds"]);
        return (values[0].IsNull ? null : values[0].ToString(), int.TryParse(values[1].ToString(), out var rounds) ? rounds : 0);
    }

    /// <summary>The stored fields of a message (payload, status, provider ids).</summary>
    public async Task<Dictionary<string, string>> GetMessageFieldsAsync(string messageId) =>
        (await Db.HashGetAllAsync(FriendTalkRedisKeys.OutboundMessage(messageId))).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
}
