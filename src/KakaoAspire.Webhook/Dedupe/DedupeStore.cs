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

    public static (string Hash, TimeSpan Window) KeyFor(string accountId, SkillPayload payload, int windowSeconds)
    {
        var window = TimeSpan.FromSeconds(windowSeconds);
        if (!string.IsNullOrEmpty(payload.CallbackUrl))
        {
            return ("cb:" + Sha256($"{accountId}\n{payload.CallbackUrl}"), window > CallbackTokenWindow ? window : CallbackTokenWindow);
        }
        var extra = payload.Action?.ClientExtra?.GetRawText() ?? "";
        var source = string.Join('\n', accountId, payload.Bot?.Id, payload.UserId, payload.Utterance,
            payload.UserRequest?.Block?.Id, extra);
        return ("msg:" + Sha256(source), window);
    }

    /// <summary>Gives a claimed request back (the turn never started), so Kakao's retry of it is not taken for a duplicate.</summary>
    public Task ReleaseAsync(string hash, string turnId) => redis.GetDatabase().ScriptEvaluateAsync(
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
        [WebhookRedisKeys.SkillDedupe(hash)], [turnId]);

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
