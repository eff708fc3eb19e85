using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// One turn at a time per session across router replicas: <c>SET NX PX</c> with a random token, renewed while the
/// turn runs, released by a compare-and-delete script. A router that dies mid-turn stops renewing, so its lock
/// expires after one lease and the next message goes ahead.
/// </summary>
public sealed class SessionLock(
    IConnectionMultiplexer redis, LockReleaseSignals releases, IOptions<RouterOptions> options, TimeProvider time, ILogger<SessionLock> logger)
{
    // Releases are announced on pub/sub; this slow look only catches a lock that expired (its router died) or a lost announcement.
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(1);

    // Joins the waiters unless MaxWaitersPerSession already wait; waiters past their own deadline (a dead router's) drop out first.
    private const string JoinWaitersScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    /// <summary>
    /// Waits until the session is free or <paramref name="wait"/> passes, woken by the holder's release (pub/sub) and
    /// looking again once a second. Null when it stayed busy, or when <see cref="RouterOptions.MaxWaitersPerSession"/>
    /// messages already wait (then at once). A message that arrives during a turn therefore waits rather than being dropped.
    /// </summary>
    public async Task<HeldSessionLock?> AcquireAsync(string baseSessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = RouterRedisKeys.SessionLock(baseSessionKey);
        var token = Guid.NewGuid().ToString("N");
        var lease = options.Value.LockLease;
        var db = redis.GetDatabase();
        if (await db.StringSetAsync(key, token, lease, When.NotExists))
        {
            return new HeldSessionLock(db, key, token, lease, releases, logger);
        }

        var deadline = time.GetUtcNow() + wait;
        var waiters = RouterRedisKeys.SessionLockWaiters(baseSessionKey);
        var joined = (long)await db.ScriptEvaluateAsync(JoinWaitersScript, [waiters],
        [
            time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.MaxWaitersPerSession,
            deadline.ToUnixTimeMilliseconds(), token, (long)(wait + lease).TotalMilliseconds,
        ]);
        if (joined == 0)
        {
            logger.LogWarning("Session {SessionKey} already has {MaxWaiters} messages waiting; answering busy at once",
                baseSessionKey, options.Value.MaxWaitersPerSession);
            return null;
        }
        try
        {
            // Watch before trying again, so a release between the try and the wait still wakes this waiter.
            using var released = await releases.WatchAsync(key);
            while (true)
            {
                if (await db.StringSetAsync(key, token, lease, When.NotExists))
                {
                    return new HeldSessionLock(db, key, token, lease, releases, logger);
                }
                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    logger.LogWarning("Session {SessionKey} stayed busy for {WaitSeconds} s", baseSessionKey, wait.TotalSeconds);
                    return null;
                }
                await released.WaitAsync(remaining < SafetyPoll ? remaining : SafetyPoll, cancellationToken);
            }
        }
        finally
        {
            try
            {
                await db.SortedSetRemoveAsync(waiters, token);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Not fatal: the entry drops out at its deadline.
                logger.LogWarning(ex, "Could not leave the waiters of session {SessionKey}", baseSessionKey);
            }
        }
    }
}

/// <summary>
/// A session lock this router holds: renewed every third of the lease until disposed, through passing Redis errors
/// (a failed renewal is tried again a tenth of the lease later).
/// <see cref="Token"/> lets a write check, atomically, that the lock is still ours (see <c>SessionStore.AppendAsync</c>).
/// </summary>
public sealed class HeldSessionLock : IAsyncDisposable
{
    // Only the holder may release or renew: a lock that expired and was taken by another router stays theirs.
    private const string ReleaseScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
    private const string RenewScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

    private readonly IDatabase _db;
    private readonly string _key;
    private readonly LockReleaseSignals _releases;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;

    internal HeldSessionLock(IDatabase db, string key, string token, TimeSpan lease, LockReleaseSignals releases, ILogger logger)
    {
        (_db, _key, Token, _releases, _logger) = (db, key, token, releases, logger);
        _renewal = RenewAsync(lease);
    }

    public string Key => _key;

    public string Token { get; }

    private async Task RenewAsync(TimeSpan lease)
    {
        // A third of the lease leaves two chances to renew before it lapses; after a failed try, the next comes a tenth
        // of the lease later, so a blip that ends in time still finds several tries before the lease runs out.
        var interval = lease / 3;
        var retry = lease / 10;
        var failures = 0;
        try
        {
            while (true)
            {
                await Task.Delay(failures == 0 ? interval : retry, _stop.Token);
                var renewal = _db.ScriptEvaluateAsync(RenewScript, [_key], [Token, (long)lease.TotalMilliseconds]);
                // A renewal given up on below may still fail later; its error is observed here, not left to the finalizer.
                _ = renewal.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                try
                {
                    // Its own deadline: while Redis is unreachable the client keeps the command in its reconnect backlog,
                    // and a renewal that waits there would stall this loop past the lease without a word in the log.
                    if ((long)await renewal.WaitAsync(retry, _stop.Token) == 0)
                    {
                        // Someone else holds it now: the turn's history write checks the token and is skipped.
                        _logger.LogWarning("Session lock {LockKey} was lost before the turn finished", _key);
                        return;
                    }
                    if (failures > 0)
                    {
                        _logger.LogInformation("Session lock {LockKey} renewed again after {Failures} failed tries", _key, failures);
                        failures = 0;
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // A passing error must not end the renewal: it tries again while the lease still runs. If the command
                    // given up on still runs after Redis is back, it is harmless: the script renews only our own token.
                    failures++;
                    _logger.LogWarning(ex, "Could not renew session lock {LockKey}; trying again in {RetryMs} ms", _key, (long)retry.TotalMilliseconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
        try
        {
            if ((long)await _db.ScriptEvaluateAsync(ReleaseScript, [_key], [Token]) == 1)
            {
                await _releases.PublishReleasedAsync(_key);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Not fatal: the lease runs out on its own.
            _logger.LogWarning(ex, "Could not release session lock {LockKey}", _key);
        }
    }
}
