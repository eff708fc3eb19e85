using KakaoAspire.Moltbot.Config;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Tools;

/// <summary>
/// <c>outbound.agentSendsPerUserPerDay</c>: how many kakao_send calls the turns of one user may make per KST day, apart
/// from the account's dailyCap, so one user's prompt injection cannot use up the operator's cap. A call is counted by
/// its idempotency key, so a retried turn that repeats a call does not count it twice.
/// </summary>
public sealed class AgentSendQuota(IConnectionMultiplexer redis, TimeProvider time)
{
    // KEYS[1]: the user's set of counted idempotency keys for the day. ARGV: key, limit, ttl seconds. 1 = may send.
    private const string Script = """
        if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
        if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('SADD', KEYS[1], ARGV[1])
        redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
        return 1
        """;

    public async Task<bool> TryTakeAsync(string accountId, string userId, string idempotencyKey, int perDay)
    {
        if (perDay == 0)
        {
            return false;
        }
        var day = Kst.Day(time.GetUtcNow());
        var taken = (long)await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [RouterRedisKeys.AgentSendDailyCount(accountId, userId, day)], [idempotencyKey, perDay, (long)TimeSpan.FromDays(2).TotalSeconds]);
        return taken == 1;
    }
}
