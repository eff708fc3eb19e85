using System.Text.Json;
using KakaoAspire.Moltbot.Config;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Limits;

/// <summary>
/// How many agent turns one user may start: a burst of <c>userRateLimitBurst</c>, then <c>userRateLimitPerMinute</c>
/// (GCRA, one key per user, atomic in Redis, shared by every webhook replica). It runs inside the request's one round
/// trip before its turn (<see cref="TurnStartStore"/>), for a request's first copy only, after the dedupe claim, so
/// Kakao's retries of one request never count twice.
/// </summary>
public sealed class UserTurnLimiter(IConnectionMultiplexer redis)
{
    /// <summary>
    /// The GCRA step in Lua, for a script that has set <c>now</c> (ms), <c>interval</c> (ms), <c>burst</c> and
    /// <c>wait</c> = 0, with the user's theoretical arrival time (ms) at KEYS[3]. Leaves <c>wait</c> at 0 when the
    /// user may start a turn now (and takes the turn), else sets it to the ms to wait.
    /// </summary>
    public const string GcraLua = """
        local tolerance = interval * burst
        local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
        if tat < now then tat = now end
        local next = tat + interval
        if next - now > tolerance then
          wait = next - now - tolerance
        else
          redis.call('SET', KEYS[3], tostring(next), 'PX', next - now)
        end
        """;


    /// <summary>The ms between turns at the account's sustained rate, or 0 when the account has no limit.</summary>
    public static long IntervalMs(KakaoAccountConfig account) =>
        account.UserRateLimitPerMinute == 0 ? 0 : 60_000L / account.UserRateLimitPerMinute;

    /// <summary>The reply a refused request got, kept for Kakao's retries of it within the dedupe window (no turn ever runs).</summary>
    public Task RememberRefusalAsync(TurnResponse refusal, TimeSpan window) =>
        window <= TimeSpan.Zero
            ? Task.CompletedTask
            : redis.GetDatabase().StringSetAsync(WebhookRedisKeys.RefusedTurn(refusal.TurnId), JsonSerializer.Serialize(refusal, RouterJson.Default.TurnResponse), window);

    /// <summary>The reply of a refused request by its turn id, or null when that turn was not refused here.</summary>
    public async Task<TurnResponse?> FindRefusalAsync(string turnId)
    {
        var stored = await redis.GetDatabase().StringGetAsync(WebhookRedisKeys.RefusedTurn(turnId));
        return stored.IsNullOrEmpty ? null : JsonSerializer.Deserialize(stored.ToString(), RouterJson.Default.TurnResponse);
    }

    public static string Reply(TimeSpan wait) =>
        $"메시지를 너무 빨리 보내고 있어요. {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))}초 뒤에 다시 보내 주세요.";
}
