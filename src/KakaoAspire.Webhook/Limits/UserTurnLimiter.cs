using System.Text.Json;
using KakaoAspire.Moltbot.Config;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Limits;

/// <summary>
/// How many agent turns one user may start: a burst of <c>userRateLimitBurst</c>, then <c>userRateLimitPerMinute</c>
/// (GCRA, one key per user, one atomic script, shared by every webhook replica). Called only for a request's first
/// copy, after dedupe, so Kakao's retries of one request never count twice.
/// </summary>
public sealed class UserTurnLimiter(IConnectionMultiplexer redis, TimeProvider time)
{
    // KEYS[1]: the user's theoretical arrival time (ms). ARGV: now, interval, burst. Returns 0 or the ms to wait.
    private const string Script = """
        local now = tonumber(ARGV[1])
        local interval = tonumber(ARGV[2])
        local tolerance = interval * tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        if tat < now then tat = now end
        local next = tat + interval
        if next - now > tolerance then
          return next - now - tolerance
        end
        redis.call('SET', KEYS[1], tostring(next), 'PX', next - now)
        return 0
        """;

    /// <summary>Zero when the user may start a turn now, else how long until they may.</summary>
    public async Task<TimeSpan> TryStartAsync(KakaoAccountConfig account, string userId)
    {
        if (account.UserRateLimitPerMinute == 0)
        {
            return TimeSpan.Zero;
        }
        var interval = 60_000L / account.UserRateLimitPerMinute;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [WebhookRedisKeys.UserTurnRate(account.Id, userId)], [now, interval, account.UserRateLimitBurst]);
        return TimeSpan.FromMilliseconds(wait);
    }

    /// <summary>The reply a refused request got, kept for Kakao's retries of it within the dedupe window (no turn ever runs).</summary>
    public Task RememberRefusalAsync(TurnResponse refusal, TimeSpan window) =>
        window <= TimeSpan.Zero
            ? Task.CompletedTask
            : redis.GetDatabase().StringSetAsync(WebhookRedisKeys.RefusedTurn(refusal.TurnId), JsonSerializer.Serialize(refusal, JsonSerializerOptions.Web), window);

    /// <summary>The reply of a refused request by its turn id, or null when that turn was not refused here.</summary>
    public async Task<TurnResponse?> FindRefusalAsync(string turnId)
    {
        var stored = await redis.GetDatabase().StringGetAsync(WebhookRedisKeys.RefusedTurn(turnId));
        return stored.IsNullOrEmpty ? null : JsonSerializer.Deserialize<TurnResponse>(stored.ToString(), JsonSerializerOptions.Web);
    }

    public static string Reply(TimeSpan wait) =>
        $"메시지를 너무 빨리 보내고 있어요. {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))}초 뒤에 다시 보내 주세요.";
}
