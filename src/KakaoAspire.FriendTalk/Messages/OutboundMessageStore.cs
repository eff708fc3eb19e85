using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Queue;
using KakaoAspire.FriendTalk.Sending;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// Accepting a message is one Lua script: the idempotency record, the daily cap, the message record and its
/// place in the queue are written together or not at all, so a duplicate never sees a half-accepted message
/// and a crash never leaves an accepted message out of the queue.
/// </summary>
public sealed class OutboundMessageStore(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan IdempotencyTtl = TimeSpan.FromHours(25);
    public static readonly TimeSpan MessageTtl = TimeSpan.FromDays(30);

    private const string AcceptScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then return {'dup', existing} end
        local count = tonumber(redis.call('GET', KEYS[2]) or '0')
        if count >= tonumber(ARGV[3]) then return {'cap', tostring(count)} end
        redis.call('INCR', KEYS[2])
        redis.call('EXPIRE', KEYS[2], ARGV[4])
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        redis.call('HSET', KEYS[3], 'id', ARGV[5], 'payload', ARGV[6], 'status', ARGV[7], 'accountId', ARGV[11],
            'provider', ARGV[12], 'to', ARGV[13], 'group', ARGV[9], 'acceptedAt', ARGV[10], 'updatedAt', ARGV[10], 'attempts', '0',
            'message', ARGV[17])
        if ARGV[14] ~= '' then redis.call('HSET', KEYS[3], 'scheduledFor', ARGV[14], 'reason', ARGV[15]) end
        redis.call('EXPIRE', KEYS[3], ARGV[16])
        if tonumber(ARGV[8]) > 0 then
            redis.call('ZADD', KEYS[6], ARGV[8], ARGV[5])
        else
            redis.call('LPUSH', KEYS[4], ARGV[5])
            redis.call('SADD', KEYS[5], ARGV[9])
        end
        redis.call('HINCRBY', KEYS[7], 'accepted', 1)
        redis.call('HSET', KEYS[7], 'lastAcceptedAt', ARGV[10])
        return {'ok', ARGV[1]}
        """;

    public async Task<AcceptOutcome> AcceptAsync(ValidatedSend send, DateTimeOffset now, DateTimeOffset? scheduledFor)
    {
        var id = "msg_" + Guid.CreateVersion7().ToString("N");
        var message = new OutboundMessage(id, send.Account.Id, send.Provider, send.Recipient.Kind, send.Recipient.Value,
            send.Text, send.Buttons, send.ImageUrl);
        var status = scheduledFor is null ? MessageStatus.Accepted : MessageStatus.Scheduled;
        var response = new SendMessageResponse(id, status, "kakao", send.Account.Id, send.Provider.Name(), send.IdempotencyKey, scheduledFor);
        var bodyHash = BodyHash(send);
        var record = bodyHash + "\n" + JsonSerializer.Serialize(response, OutboundJsonContext.Default.SendMessageResponse);
        var group = BatchGroups.For(message);
        var resetsAt = Kst.NextMidnight(now);

        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcceptScript,
            [
                RedisKeys.OutboundIdempotency(KeyHash(send.IdempotencyKey)),
                RedisKeys.OutboundDailyCount(send.Account.Id, Kst.Day(now)),
                RedisKeys.OutboundMessage(id),
                RedisKeys.OutboundReady(group),
                RedisKeys.OutboundGroups,
                RedisKeys.OutboundDelayed,
                RedisKeys.OutboundStats(send.Account.Id),
            ],
            [
                record,
                (long)IdempotencyTtl.TotalSeconds,
                send.Account.Outbound.DailyCap,
                (long)(resetsAt - now + TimeSpan.FromHours(1)).TotalSeconds,
                id,
                JsonSerializer.Serialize(message, OutboundJsonContext.Default.OutboundMessage),
                status,
                scheduledFor?.ToUnixTimeMilliseconds() ?? 0,
                group,
                Kst.Iso(now),
                send.Account.Id,
                send.Provider.Name(),
                send.Recipient.Masked,
                scheduledFor is { } at ? Kst.Iso(at) : "",
                scheduledFor is null ? "" : "inside the night window (outbound.nightWindow, KST); sends when it ends",
                (long)MessageTtl.TotalSeconds,
                send.Text,
            ]))!;

        var verdict = (string)result[0]!;
        if (verdict == "cap")
        {
            return new AcceptOutcome(AcceptOutcomeKind.DailyCapReached, null, resetsAt);
        }
        var stored = ((string)result[1]!).Split('\n', 2);
        var storedResponse = JsonSerializer.Deserialize(stored[1], OutboundJsonContext.Default.SendMessageResponse)!;
        if (verdict == "ok")
        {
            return new AcceptOutcome(AcceptOutcomeKind.Accepted, storedResponse);
        }
        return stored[0] == bodyHash
            ? new AcceptOutcome(AcceptOutcomeKind.Replayed, storedResponse)
            : new AcceptOutcome(AcceptOutcomeKind.KeyReusedWithOtherBody, storedResponse);
    }

    public async Task<MessageView?> GetViewAsync(string id)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(RedisKeys.OutboundMessage(id));
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

    private static string KeyHash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string BodyHash(ValidatedSend send)
    {
        var canonical = new StringBuilder()
            .Append(send.Account.Id).Append('\u001f')
            .Append(send.Recipient.Kind).Append(':').Append(send.Recipient.Value).Append('\u001f')
            .Append(send.Text).Append('\u001f').Append(send.ImageUrl).Append('\u001f');
        foreach (var button in send.Buttons)
        {
            canonical.Append(button.Name).Append('\u001e').Append(button.Url).Append('\u001e').Append(button.PcUrl).Append('\u001f');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
