using System.Globalization;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Limits;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Skill;

/// <summary>
/// What the one round trip before a turn found: the turn id that owns the request (this one for its first copy), how
/// long the user must wait before starting a turn (zero: go), and how many answers are held for the user.
/// </summary>
public readonly record struct TurnStart(string Owner, TimeSpan Wait, long Held);

/// <summary>
/// Everything a new skill request needs from Redis before its turn, in one script (one round trip, atomic): it counts
/// the request in the account's inbound activity, claims the dedupe key (SET NX EX; a copy reads the first copy's turn
/// id), runs the user's rate limit for the first copy only (Kakao's retries never count twice), and reads whether the
/// user has held answers, so a reply with nothing held never reads the list again.
/// </summary>
public sealed class TurnStartStore(IConnectionMultiplexer redis, TimeProvider time)
{
    // KEYS: inbound activity hash, dedupe key, the user's rate key, the user's held list.
    // ARGV: count the request (1/0), now (ISO 8601), turn id, dedupe window in s (0: no dedupe), now (Unix ms),
    // rate interval in ms (0: no limit), burst. Returns {owner turn id, ms to wait, held answers}.
    private const string Script = $$"""
        if ARGV[1] == '1' then
          redis.call('HINCRBY', KEYS[1], '{{AccountActivityStore.Count}}', 1)
          redis.call('HSET', KEYS[1], '{{AccountActivityStore.LastAt}}', ARGV[2])
        end
        local owner = ARGV[3]
        if tonumber(ARGV[4]) > 0 and not redis.call('SET', KEYS[2], owner, 'EX', ARGV[4], 'NX') then
          local first = redis.call('GET', KEYS[2])
          if first and first ~= '' then owner = first end
        end
        local wait = 0
        if owner == ARGV[3] and tonumber(ARGV[6]) > 0 then
          local now = tonumber(ARGV[5])
          local interval = tonumber(ARGV[6])
          local burst = tonumber(ARGV[7])
          {{UserTurnLimiter.GcraLua}}
        end
        return {owner, wait, redis.call('LLEN', KEYS[4])}
        """;

    /// <summary>
    /// Loads the script, so each request sends its hash (EVALSHA) instead of its text; after a Redis restart the client
    /// sends the text once again by itself.
    /// </summary>
    public async Task WarmUpAsync()
    {
        foreach (var server in redis.GetServers())
        {
            await server.ScriptLoadAsync(Script);
        }
    }

    /// <param name="countInbound">False when the request was already counted (a typed "답변 확인" with nothing to show).</param>
    public async Task<TurnStart> StartAsync(
        KakaoAccountConfig account, string userId, string hash, string turnId, TimeSpan window, bool countInbound)
    {
        var now = time.GetUtcNow();
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [
                WebhookRedisKeys.AccountInbound(account.Id), WebhookRedisKeys.SkillDedupe(hash),
                WebhookRedisKeys.UserTurnRate(account.Id, userId), WebhookRedisKeys.HeldAnswers(account.Id, userId),
            ],
            [
                countInbound ? 1 : 0, now.ToString("O", CultureInfo.InvariantCulture), turnId,
                window > TimeSpan.Zero ? (long)window.TotalSeconds : 0, now.ToUnixTimeMilliseconds(),
                UserTurnLimiter.IntervalMs(account), account.UserRateLimitBurst,
            ]))!;
        return new((string)result[0]!, TimeSpan.FromMilliseconds((long)result[1]), (long)result[2]);
    }
}
