using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using KakaoAspire.Kakao.Skill;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Dedupe;

/// <summary>
/// One agent run per request seen twice (docs/kakao-skill-protocol.md#duplicates, docs/moltbot-channel-rules.md#inbound-dedupe): exact on the one-time callback token when there is
/// one, else a hash of bot, user, utterance, block and clientExtra within dedupeWindowSeconds. One SET NX EX decides
/// (in the request's round trip before its turn, <see cref="TurnStartStore"/>), so two concurrent copies cannot both win.
/// </summary>
public sealed class DedupeStore(IConnectionMultiplexer redis)
{
    // A callback token is single-use and valid for a minute, so its copies are recognised for at least that long.
    private static readonly TimeSpan CallbackTokenWindow = TimeSpan.FromSeconds(60);
    // A usual message (ids, a short utterance) hashes from the stack; a long one from a pooled buffer.
    private const int StackBytes = 1024;

    public static (string Hash, TimeSpan Window) KeyFor(string accountId, SkillPayload payload, int windowSeconds)
    {
        var window = TimeSpan.FromSeconds(windowSeconds);
        if (!string.IsNullOrEmpty(payload.CallbackUrl))
        {
            return (Hash("cb:", [accountId, payload.CallbackUrl]), window > CallbackTokenWindow ? window : CallbackTokenWindow);
        }
        var extra = payload.Action?.ClientExtra?.GetRawText() ?? "";
        return (Hash("msg:", [accountId, payload.Bot?.Id, payload.UserId, payload.Utterance, payload.UserRequest?.Block?.Id, extra]), window);
    }

    /// <summary>Gives a claimed request back (the turn never started), so Kakao's retry of it is not taken for a duplicate.</summary>
    public Task ReleaseAsync(string hash, string turnId) => redis.GetDatabase().ScriptEvaluateAsync(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
        [WebhookRedisKeys.SkillDedupe(hash)], [turnId]);

    /// <summary>
    /// The prefix and the lowercase hex SHA-256 of the parts' UTF-8, joined by '\n' (a null part is empty): the same
    /// key every replica computes, built on the stack instead of through a joined string, its bytes and the hash's.
    /// </summary>
    private static string Hash(string prefix, params ReadOnlySpan<string?> parts)
    {
        var max = parts.Length;
        foreach (var part in parts)
        {
            max += Encoding.UTF8.GetMaxByteCount(part?.Length ?? 0);
        }
        byte[]? rented = null;
        Span<byte> source = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                source[length++] = (byte)'\n';
            }
            length += Encoding.UTF8.GetBytes(parts[i].AsSpan(), source[length..]);
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(source[..length], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        Span<char> key = stackalloc char[prefix.Length + 2 * SHA256.HashSizeInBytes];
        prefix.CopyTo(key);
        Convert.TryToHexStringLower(hash, key[prefix.Length..], out _);
        return new string(key);
    }
}
