using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Queue;
using KakaoAspire.FriendTalk.Sending;
using KakaoAspire.Moltbot.Config;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// Accepting a message is one Lua script: the idempotency record, the daily cap, the message record and its
/// place in the queue are written together or not at all, so a duplicate never sees a half-accepted message
/// and a crash never leaves an accepted message out of the queue.
/// </summary>
public sealed class OutboundMessageStore(IConnectionMultiplexer redis, OutboundSignals signals)
{
    public static readonly TimeSpan IdempotencyTtl = TimeSpan.FromHours(25);
    public static readonly TimeSpan MessageTtl = TimeSpan.FromDays(30);

    /// <summary>How many of the newest accepted message ids <see cref="FriendTalkRedisKeys.OutboundRecent"/> keeps.</summary>
    public const int RecentKept = 100;

    // KEYS: 1 the caller's idempotency record, 2 the daily count, 3 the groups set, 4 the delayed set, 5 the stats hash,
    // then per part: its own idempotency record, its message hash, its group's ready list.
    // ARGV: 1 the record, 2 its TTL, 3 the cap, 4 the count's TTL, 5 the number of parts, 6 now, 7 account, 8 provider,
    // 9 masked recipient, 10 the message TTL, 11 the first part's due time in ms (0 = now), 12 its ISO time, 13 why,
    // 14 the status, then per part (6 each): id, payload, group, part record, text, part key.
    // Last: KEYS the newest-accepted list, ARGV how many ids it keeps.
    private const string AcceptScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then return {'dup', existing} end
        local n = tonumber(ARGV[5])
        local count = tonumber(redis.call('GET', KEYS[2]) or '0')
        if count + n > tonumber(ARGV[3]) then return {'cap', tostring(count)} end
        redis.call('INCRBY', KEYS[2], n)
        redis.call('EXPIRE', KEYS[2], ARGV[4])
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        for i = 0, n - 1 do
            local k = 6 + 3 * i
            local a = 15 + 6 * i
            if n > 1 then redis.call('SET', KEYS[k], ARGV[a + 3], 'EX', ARGV[2]) end
            redis.call('HSET', KEYS[k + 1], 'id', ARGV[a], 'payload', ARGV[a + 1], 'status', ARGV[14], 'accountId', ARGV[7],
                'provider', ARGV[8], 'to', ARGV[9], 'group', ARGV[a + 2], 'acceptedAt', ARGV[6], 'updatedAt', ARGV[6], 'attempts', '0',
                'message', ARGV[a + 4], 'idempotencyKey', ARGV[a + 5])
            if ARGV[12] ~= '' then redis.call('HSET', KEYS[k + 1], 'scheduledFor', ARGV[12], 'reason', ARGV[13]) end
            if i == 0 then
                if tonumber(ARGV[11]) > 0 then
                    redis.call('ZADD', KEYS[4], ARGV[11], ARGV[a])
                else
                    redis.call('LPUSH', KEYS[k + 2], ARGV[a])
                    redis.call('SADD', KEYS[3], ARGV[a + 2])
                end
            else
                redis.call('HSET', KEYS[k + 1], 'reason', 'part ' .. (i + 1) .. ' of ' .. n .. '; waits until part ' .. i .. ' is sent')
            end
            redis.call('EXPIRE', KEYS[k + 1], ARGV[10])
        end
        redis.call('HINCRBY', KEYS[5], 'accepted', n)
        redis.call('HSET', KEYS[5], 'lastAcceptedAt', ARGV[6])
        for i = 0, n - 1 do redis.call('LPUSH', KEYS[#KEYS], ARGV[15 + 6 * i]) end
        redis.call('LTRIM', KEYS[#KEYS], 0, tonumber(ARGV[#ARGV]) - 1)
        return {'ok', ARGV[1]}
        """;

    /// <summary>
    /// Accepts a send, all its parts together or none: a message longer than its provider's limit is stored as
    /// ordered parts, each with its own idempotency key (the caller's key with <c>#1</c>, <c>#2</c>, …), and only the
    /// first is queued; each next one follows when the one before it is done (BatchSender).
    /// </summary>
    public async Task<AcceptOutcome> AcceptAsync(ValidatedSend send, DateTimeOffset now, DateTimeOffset? scheduledFor)
    {
        var texts = send.TextParts;
        var ids = texts.Select(_ => "msg_" + Guid.CreateVersion7().ToString("N")).ToList();
        var last = texts.Count - 1;
        // Built from the last part back, so each part knows the group its next one waits in.
        var messages = new OutboundMessage[texts.Count];
        for (var i = last; i >= 0; i--)
        {
            var next = i < last ? messages[i + 1] : null;
            messages[i] = new OutboundMessage(ids[i], send.Account.Id, send.Provider, send.Recipient.Kind, send.Recipient.Value,
                texts[i], i == last ? send.Buttons : [], i == 0 ? send.ImageUrl : null, send.IsAd,
                next?.Id, next is null ? null : BatchGroups.For(next));
        }
        var status = scheduledFor is null ? MessageStatus.Accepted : MessageStatus.Scheduled;
        var parts = texts.Count > 1 ? ids : null;
        var response = new SendMessageResponse(ids[0], status, "kakao", send.Account.Id, send.Provider.Name(), send.IdempotencyKey, scheduledFor, parts);
        var bodyHash = BodyHash(send);
        var record = bodyHash + "\n" + JsonSerializer.Serialize(response, OutboundJsonContext.Default.SendMessageResponse);
        var resetsAt = Kst.NextMidnight(now);

        var keys = new List<RedisKey>
        {
            FriendTalkRedisKeys.OutboundIdempotency(KeyHash(send.IdempotencyKey)),
            FriendTalkRedisKeys.OutboundDailyCount(send.Account.Id, Kst.Day(now)),
            FriendTalkRedisKeys.OutboundGroups,
            FriendTalkRedisKeys.OutboundDelayed,
            FriendTalkRedisKeys.OutboundStats(send.Account.Id),
        };
        var args = new List<RedisValue>
        {
            record,
            (long)IdempotencyTtl.TotalSeconds,
            send.Account.Outbound.DailyCap,
            (long)(resetsAt - now + TimeSpan.FromHours(1)).TotalSeconds,
            texts.Count,
            Kst.Iso(now),
            send.Account.Id,
            send.Provider.Name(),
            send.Recipient.Masked,
            (long)MessageTtl.TotalSeconds,
            scheduledFor?.ToUnixTimeMilliseconds() ?? 0,
            scheduledFor is { } at ? Kst.Iso(at) : "",
            scheduledFor is null ? "" : "inside the night window (outbound.nightWindow, KST); sends when it ends",
            status,
        };
        for (var i = 0; i <= last; i++)
        {
            var partKey = texts.Count > 1 ? PartKey(send.IdempotencyKey, i) : send.IdempotencyKey;
            var group = BatchGroups.For(messages[i]);
            keys.AddRange([FriendTalkRedisKeys.OutboundIdempotency(KeyHash(partKey)), FriendTalkRedisKeys.OutboundMessage(ids[i]), FriendTalkRedisKeys.OutboundReady(group)]);
            var partRecord = bodyHash + "\n" + JsonSerializer.Serialize(response with { MessageId = ids[i], RunId = partKey }, OutboundJsonContext.Default.SendMessageResponse);
            args.AddRange([ids[i], JsonSerializer.Serialize(messages[i], OutboundJsonContext.Default.OutboundMessage), group, partRecord, texts[i], partKey]);
        }

        keys.Add(FriendTalkRedisKeys.OutboundRecent);
        args.Add(RecentKept);

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcceptScript, [.. keys], [.. args]))!;

        var verdict = (string)result[0]!;
        if (verdict == "cap")
        {
            return new AcceptOutcome(AcceptOutcomeKind.DailyCapReached, null, resetsAt);
        }
        var stored = ((string)result[1]!).Split('\n', 2);
        var storedResponse = JsonSerializer.Deserialize(stored[1], OutboundJsonContext.Default.SendMessageResponse)!;
        if (verdict == "ok")
        {
            // The script has run: the sender, woken now, finds the message in its ready list (or the delayed set,
            // whose earliest time it sleeps until). A replica that did not accept it finds it on its fallback look.
            signals.Sender.Wake();
            return new AcceptOutcome(AcceptOutcomeKind.Accepted, storedResponse);
        }
        return stored[0] == bodyHash
            ? new AcceptOutcome(AcceptOutcomeKind.Replayed, storedResponse)
            : new AcceptOutcome(AcceptOutcomeKind.KeyReusedWithOtherBody, storedResponse);
    }

    /// <summary>The idempotency key of one part of a split message: the caller's key and the part's number from 1.</summary>
    public static string PartKey(string key, int index) => $"{key}#{index + 1}";

    public async Task<MessageView?> GetViewAsync(string id)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(FriendTalkRedisKeys.OutboundMessage(id));
        if (fields.Length == 0)
        {
            return null;
        }
        var map = fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        string? Get(string name) => map.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        return new MessageView(id, Get("status") ?? MessageStatus.Accepted, Get("accountId"), Get("provider"), Get("to"),
            Get("acceptedAt"), Get("scheduledFor"), Get("sentAt"), Get("deliveredAt"), Get("updatedAt"),
            Get("providerRequestId"), Get("providerCode"), Get("reason"), int.TryParse(Get("attempts"), out var n) ? n : 0);
    }

    /// <summary>
    /// The newest accepted messages, newest first (at most <paramref name="max"/>, up to <see cref="RecentKept"/>), for
    /// the local simulator (<see cref="OutboxApi"/> is mapped in Development). Read from the list the accept script
    /// keeps, never by a key scan: Garnet walks its whole log for a scan, the part on disk too (docs/benchmarks.md,
    /// "Session 13"), and the simulator asks every 3 s. A message whose record has expired is left out.
    /// </summary>
    public async Task<IReadOnlyList<OutboxItem>> ListRecentAsync(int max)
    {
        if (max <= 0)
        {
            return []; // LRANGE 0 -1 would be the whole list.
        }
        var database = redis.GetDatabase();
        var ids = await database.ListRangeAsync(FriendTalkRedisKeys.OutboundRecent, 0, Math.Min(max, RecentKept) - 1);
        // Issued together, so they go out in one pipeline.
        var reads = ids.Select(id => database.HashGetAllAsync(FriendTalkRedisKeys.OutboundMessage(id.ToString()))).ToArray();
        var items = new List<OutboxItem>(ids.Length);
        foreach (var read in reads)
        {
            var fields = (await read).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
            if (fields.GetValueOrDefault("id") is { } id)
            {
                items.Add(new OutboxItem(id, fields.GetValueOrDefault("status"), fields.GetValueOrDefault("to"), fields.GetValueOrDefault("message"),
                    fields.GetValueOrDefault("reason"), fields.GetValueOrDefault("provider"), fields.GetValueOrDefault("accountId"),
                    fields.GetValueOrDefault("acceptedAt")));
            }
        }
        return items;
    }

    private static string KeyHash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string BodyHash(ValidatedSend send)
    {
        var canonical = new StringBuilder()
            .Append(send.Account.Id).Append('\u001f')
            .Append(send.Recipient.Kind).Append(':').Append(send.Recipient.Value).Append('\u001f')
            .Append(send.Text).Append('\u001f').Append(send.ImageUrl).Append('\u001f').Append(send.IsAd ? "ad" : "").Append('\u001f');
        foreach (var button in send.Buttons)
        {
            canonical.Append(button.Name).Append('\u001e').Append(button.Url).Append('\u001e').Append(button.PcUrl).Append('\u001f');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
