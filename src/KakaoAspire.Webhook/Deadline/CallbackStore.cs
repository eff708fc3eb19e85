using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>How a replica may go on with a claimed job just before its POST.</summary>
public enum PostPermission
{
    /// <summary>Marked as posting: go ahead.</summary>
    Granted,
    /// <summary>The answer is no longer held (the user's next message carried it): post a note instead.</summary>
    AnswerGone,
    /// <summary>Another replica owns the job now (this one's lease ran out): do nothing.</summary>
    LeaseLost,
}

/// <summary>
/// The callbacks owed to Kakao, in Redis, leased to one webhook replica at a time: claim with a lease, renew it while
/// waiting for the answer, mark "posting" with the exact body, POST, then delete. A replica that dies stops renewing,
/// and any other replica takes the job once the lease runs out. Every step is one Lua script, so a claim, a renewal
/// and a user's "답변 확인" never interleave half-way.
/// </summary>
public sealed class CallbackStore(IConnectionMultiplexer redis, IOptions<CallbackOptions> options, TimeProvider time)
{
    /// <summary>This process, as the owner written into its leases (host, pid and a per-start id: pids are reused).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    // KEYS: job, leases. ARGV: job json, owner, lease expiry ms, job ttl ms, turn id.
    private const string AddScript = """
        redis.call('HSET', KEYS[1], 'job', ARGV[1], 'owner', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
        return 1
        """;

    // KEYS: leases, job. ARGV: turn id, lease expiry ms, owner.
    private const string RenewScript = """
        if redis.call('HGET', KEYS[2], 'owner') ~= ARGV[3] then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        return 1
        """;

    // KEYS: leases, job. ARGV: turn id, now ms, new lease expiry ms, owner.
    private const string ClaimScript = """
        local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not score or tonumber(score) > tonumber(ARGV[2]) then return false end
        if redis.call('EXISTS', KEYS[2]) == 0 then
          redis.call('ZREM', KEYS[1], ARGV[1])
          return false
        end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        redis.call('HSET', KEYS[2], 'owner', ARGV[4])
        return redis.call('HGETALL', KEYS[2])
        """;

    // KEYS: job, held list. ARGV: owner, turn id, body, mode ("answer" needs the answer still held).
    private const string BeginPostScript = """
        if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return -1 end
        if ARGV[4] == 'answer' then
          local found = false
          for _, id in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
            if id == ARGV[2] then found = true break end
          end
          if not found then return 0 end
        end
        redis.call('HSET', KEYS[1], 'posting', '1', 'mode', ARGV[4], 'body', ARGV[3])
        return 1
        """;

    // KEYS: job, leases, held list. ARGV: turn id, delivered ("1": Kakao accepted the answer).
    private const string FinishScript = """
        if ARGV[2] == '1' then
          redis.call('LREM', KEYS[3], 1, ARGV[1])
        end
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    // KEYS: leases, job. ARGV: turn id, owner. A job not yet posting goes back at once for another replica.
    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[2], 'owner') ~= ARGV[2] or redis.call('HGET', KEYS[2], 'posting') == '1' then return 0 end
        redis.call('ZADD', KEYS[1], 0, ARGV[1])
        return 1
        """;

    private CallbackOptions Options => options.Value;

    private long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    private long LeaseExpiryMs => NowMs + (long)Options.LeaseDuration.TotalMilliseconds;

    /// <summary>
    /// Once at start: connects, has Redis compile the script an ack writes, and builds the job's JSON contract, so the first
    /// callback ack after a start does not pay for them after its reply deadline.
    /// </summary>
    public async Task WarmUpAsync()
    {
        _ = JsonSerializer.Serialize(new CallbackJob("", "", "", "", default, default), JsonSerializerOptions.Web);
        foreach (var server in redis.GetServers())
        {
            await server.ScriptLoadAsync(AddScript);
        }
    }

    /// <summary>Records the job as owned by this replica.</summary>
    public async Task AddAsync(CallbackJob job)
    {
        // Kept a little past Kakao's lifetime so a late replica still finds it and drops it knowingly.
        var ttl = (long)(Options.Lifetime + TimeSpan.FromMinutes(1)).TotalMilliseconds;
        await redis.GetDatabase().ScriptEvaluateAsync(AddScript,
            [WebhookRedisKeys.Callback(job.TurnId), WebhookRedisKeys.CallbackLeases],
            [JsonSerializer.Serialize(job, JsonSerializerOptions.Web), Owner, LeaseExpiryMs, ttl, job.TurnId]);
    }

    /// <summary>False when another replica took the job (this one stalled past its lease).</summary>
    public async Task<bool> RenewAsync(string turnId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript,
            [WebhookRedisKeys.CallbackLeases, WebhookRedisKeys.Callback(turnId)], [turnId, LeaseExpiryMs, Owner]) == 1;

    /// <summary>Claims up to <paramref name="max"/> jobs whose owner's lease ran out (a dead or stopped replica's).</summary>
    public async Task<IReadOnlyList<ClaimedCallback>> ClaimExpiredAsync(int max)
    {
        var db = redis.GetDatabase();
        var now = NowMs;
        var due = await db.SortedSetRangeByScoreAsync(WebhookRedisKeys.CallbackLeases, double.NegativeInfinity, now, take: max);
        var claimed = new List<ClaimedCallback>();
        foreach (var member in due)
        {
            var turnId = member.ToString();
            var result = await db.ScriptEvaluateAsync(ClaimScript,
                [WebhookRedisKeys.CallbackLeases, WebhookRedisKeys.Callback(turnId)], [turnId, now, LeaseExpiryMs, Owner]);
            if (result.IsNull || result.Resp2Type != ResultType.Array)
            {
                continue; // another replica was faster, or the job expired
            }
            var fields = ((RedisResult[])result!).Select(r => r.ToString()).ToArray();
            var hash = Enumerable.Range(0, fields.Length / 2).ToDictionary(i => fields[2 * i], i => fields[2 * i + 1]);
            if (hash.GetValueOrDefault("job") is not { } json || JsonSerializer.Deserialize<CallbackJob>(json, JsonSerializerOptions.Web) is not { } job)
            {
                await FinishAsync(turnId, delivered: false);
                continue;
            }
            var posting = hash.GetValueOrDefault("posting") == "1";
            claimed.Add(new ClaimedCallback(job, posting ? hash.GetValueOrDefault("body") : null, posting ? hash.GetValueOrDefault("mode") : null));
        }
        return claimed;
    }

    /// <summary>
    /// Marks the job as being posted with <paramref name="body"/>; from here the user's next message treats the answer as
    /// not ready, so it is never delivered twice. For an answer (<paramref name="isAnswer"/>) it must still be held.
    /// </summary>
    public async Task<PostPermission> BeginPostAsync(CallbackJob job, string body, bool isAnswer)
    {
        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(BeginPostScript,
            [WebhookRedisKeys.Callback(job.TurnId), WebhookRedisKeys.HeldAnswers(job.AccountId, job.UserId)],
            [Owner, job.TurnId, body, isAnswer ? AnswerMode : NoteMode]);
        return result switch
        {
            1 => PostPermission.Granted,
            0 => PostPermission.AnswerGone,
            _ => PostPermission.LeaseLost,
        };
    }

    /// <summary>
    /// The job is done. <paramref name="delivered"/>: Kakao accepted the POST carrying the answer, so it leaves the held
    /// list (the caller then has the router forget its copy); otherwise it stays held for the user's next message.
    /// </summary>
    public Task FinishAsync(CallbackJob job, bool delivered) => FinishAsync(job.TurnId, delivered, job.AccountId, job.UserId);

    private async Task FinishAsync(string turnId, bool delivered, string accountId = "", string userId = "") =>
        await redis.GetDatabase().ScriptEvaluateAsync(FinishScript,
            [WebhookRedisKeys.Callback(turnId), WebhookRedisKeys.CallbackLeases, WebhookRedisKeys.HeldAnswers(accountId, userId)],
            [turnId, delivered ? "1" : "0"]);

    /// <summary>On a graceful stop: hands a job not yet posting to another replica at once.</summary>
    public async Task ReleaseAsync(string turnId) =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript,
            [WebhookRedisKeys.CallbackLeases, WebhookRedisKeys.Callback(turnId)], [turnId, Owner]);

    public const string AnswerMode = "answer";
    public const string NoteMode = "note";
}
