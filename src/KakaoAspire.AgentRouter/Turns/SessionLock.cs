using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// One turn at a time per session across router replicas: <c>SET NX PX</c> with a random token, renewed while the
/// turn runs, released by a compare-and-delete. A router that dies mid-turn stops renewing, so its lock expires after
/// one lease and the next message goes ahead. A free lock is taken by the turn's first script (<c>TurnStore</c>);
/// this class waits for a busy one.
/// </summary>
public sealed partial class SessionLock(
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

    public TimeSpan Lease => options.Value.LockLease;

    /// <summary>A new holder's token: random, so only the holder may renew or release what it took.</summary>
    public static string NewToken() => Guid.NewGuid().ToString("N");

    /// <summary>The lock <paramref name="token"/> was just set on (by the turn's first script): renewed from now on.</summary>
    public HeldSessionLock Taken(string baseSessionKey, string token) =>
        new(redis.GetDatabase(), baseSessionKey, token, Lease, releases, logger);

    /// <summary>
    /// Waits until the busy session is free or <paramref name="wait"/> passes, woken by the holder's release (pub/sub) and
    /// looking again once a second. Null when it stayed busy, or when <see cref="RouterOptions.MaxWaitersPerSession"/>
    /// messages already wait (then at once). A message that arrives during a turn therefore waits rather than being dropped.
    /// </summary>
    public async Task<HeldSessionLock?> WaitAsync(string baseSessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = RouterRedisKeys.SessionLock(baseSessionKey);
        var token = NewToken();
        var lease = Lease;
        var db = redis.GetDatabase();
        var deadline = time.GetUtcNow() + wait;
        var waiters = RouterRedisKeys.SessionLockWaiters(baseSessionKey);
        var joined = (long)await db.ScriptEvaluateAsync(JoinWaitersScript, [waiters],
        [
            time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.MaxWaitersPerSession,
            deadline.ToUnixTimeMilliseconds(), token, (long)(wait + lease).TotalMilliseconds,
        ]);
        if (joined == 0)
        {
            LogTooManyWaiters(logger, baseSessionKey, options.Value.MaxWaitersPerSession);
            return null;
        }
        try
        {
            // Watch before trying again, so a release between the try and the wait still wakes this waiter (the holder
            // announces its release only while the waiters' set is not empty, and this waiter is in it by now).
            using var released = await releases.WatchAsync(key);
            while (true)
            {
                if (await db.StringSetAsync(key, token, lease, When.NotExists))
                {
                    return new HeldSessionLock(db, baseSessionKey, token, lease, releases, logger);
                }
                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    LogStayedBusy(logger, baseSessionKey, wait.TotalSeconds);
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
                LogCouldNotLeaveWaiters(logger, ex, baseSessionKey);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionKey} already has {MaxWaiters} messages waiting; answering busy at once")]
    private static partial void LogTooManyWaiters(ILogger logger, string sessionKey, int maxWaiters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionKey} stayed busy for {WaitSeconds} s")]
    private static partial void LogStayedBusy(ILogger logger, string sessionKey, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not leave the waiters of session {SessionKey}")]
    private static partial void LogCouldNotLeaveWaiters(ILogger logger, Exception exception, string sessionKey);
}

/// <summary>
/// A session lock this router holds: renewed every third of the lease until the turn ends, through passing Redis errors
/// (a failed renewal is tried again a tenth of the lease later). A turn shorter than a third of the lease never renews.
/// <see cref="Token"/> lets a write check, atomically, that the lock is still ours (see <c>TurnStore.EndAsync</c>, which
/// also releases it); disposing releases it when that script did not.
/// </summary>
public sealed partial class HeldSessionLock : IAsyncDisposable
{
    // Only the holder may release or renew: a lock that expired and was taken by another router stays theirs.
    // 2 = released and messages wait for it (announce), 1 = released, 0 = not ours.
    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        return 1 + redis.call('EXISTS', KEYS[2])
        """;
    private const string RenewScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

    private readonly IDatabase _db;
    private readonly LockReleaseSignals _releases;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private bool _released;

    internal HeldSessionLock(IDatabase db, string baseSessionKey, string token, TimeSpan lease, LockReleaseSignals releases, ILogger logger)
    {
        (_db, Token, _releases, _logger) = (db, token, releases, logger);
        Key = RouterRedisKeys.SessionLock(baseSessionKey);
        WaitersKey = RouterRedisKeys.SessionLockWaiters(baseSessionKey);
        _renewal = RenewAsync(lease);
    }

    public string Key { get; }

    /// <summary>The messages waiting for this lock: whoever releases it announces the release only when there are any.</summary>
    public string WaitersKey { get; }

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
                // Most turns end before the first renewal: the wait ends without an exception, which cost the router
                // about 3 % of its CPU per turn when the cancelled delay threw (docs/benchmarks.md, session 9).
                await Task.Delay(failures == 0 ? interval : retry, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                var renewal = _db.ScriptEvaluateAsync(RenewScript, [Key], [Token, (long)lease.TotalMilliseconds]);
                // A renewal given up on below may still fail later; its error is observed here, not left to the finalizer.
                _ = renewal.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                try
                {
                    // Its own deadline: while Redis is unreachable the client keeps the command in its reconnect backlog,
                    // and a renewal that waits there would stall this loop past the lease without a word in the log.
                    if ((long)await renewal.WaitAsync(retry, _stop.Token) == 0)
                    {
                        // Someone else holds it now: the turn's history write checks the token and is skipped.
                        LogLost(_logger, Key);
                        return;
                    }
                    if (failures > 0)
                    {
                        LogRenewedAgain(_logger, Key, failures);
                        failures = 0;
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // A passing error must not end the renewal: it tries again while the lease still runs. If the command
                    // given up on still runs after Redis is back, it is harmless: the script renews only our own token.
                    failures++;
                    LogRenewalFailed(_logger, ex, Key, (long)retry.TotalMilliseconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Ends the renewal, before a script that releases the lock together with the turn's last writes: a renewal that
    /// ran after that release would find the lock gone and report it lost.
    /// </summary>
    public async Task StopRenewingAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }
        await _renewal;
    }

    /// <summary>That script released the lock: announce it when messages wait for it; disposing releases nothing more.</summary>
    public Task ReleasedAsync(bool messagesWait)
    {
        _released = true;
        return messagesWait ? _releases.PublishReleasedAsync(Key) : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        _stop.Dispose();
        if (_released)
        {
            return;
        }
        _released = true;
        try
        {
            if ((long)await _db.ScriptEvaluateAsync(ReleaseScript, [Key, WaitersKey], [Token]) == 2)
            {
                await _releases.PublishReleasedAsync(Key);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Not fatal: the lease runs out on its own.
            LogReleaseFailed(_logger, ex, Key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session lock {LockKey} was lost before the turn finished")]
    private static partial void LogLost(ILogger logger, string lockKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session lock {LockKey} renewed again after {Failures} failed tries")]
    private static partial void LogRenewedAgain(ILogger logger, string lockKey, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew session lock {LockKey}; trying again in {RetryMs} ms")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, string lockKey, long retryMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release session lock {LockKey}")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string lockKey);
}
