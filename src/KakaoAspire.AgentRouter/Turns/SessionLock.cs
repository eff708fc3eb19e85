using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// One turn at a time per session across router replicas: <c>SET NX PX</c> with a random token, renewed while the
/// turn runs, released by a compare-and-delete script. A router that dies mid-turn stops renewing, so its lock
/// expires after one lease and the next message goes ahead.
/// </summary>
public sealed class SessionLock(IConnectionMultiplexer redis, IOptions<RouterOptions> options, ILogger<SessionLock> logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    // Only the holder may release or renew: a lock that expired and was taken by another router stays theirs.
    private const string ReleaseScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
    private const string RenewScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";

    /// <summary>
    /// Waits (polling, in arrival order only roughly) until the session is free or <paramref name="wait"/> passes.
    /// Null when it stayed busy. A message that arrives during a turn therefore waits for it rather than being dropped.
    /// </summary>
    public async Task<IAsyncDisposable?> AcquireAsync(string baseSessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        var key = RedisKeys.SessionLock(baseSessionKey);
        var token = Guid.NewGuid().ToString("N");
        var lease = options.Value.LockLease;
        var deadline = DateTimeOffset.UtcNow + wait;
        var db = redis.GetDatabase();
        while (true)
        {
            if (await db.StringSetAsync(key, token, lease, When.NotExists))
            {
                return new Held(db, key, token, lease, logger);
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                return null;
            }
            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    private sealed class Held : IAsyncDisposable
    {
        private readonly IDatabase _db;
        private readonly RedisKey _key;
        private readonly string _token;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;
        private readonly ILogger _logger;

        public Held(IDatabase db, RedisKey key, string token, TimeSpan lease, ILogger logger)
        {
            (_db, _key, _token, _logger) = (db, key, token, logger);
            _renewal = RenewAsync(lease);
        }

        private async Task RenewAsync(TimeSpan lease)
        {
            // A third of the lease leaves two chances to renew before it lapses.
            using var timer = new PeriodicTimer(lease / 3);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var renewed = (long)await _db.ScriptEvaluateAsync(RenewScript, [_key], [_token, (long)lease.TotalMilliseconds]);
                    if (renewed == 0)
                    {
                        _logger.LogWarning("Session lock {LockKey} was lost before the turn finished", (string?)_key);
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RedisException ex)
            {
                _logger.LogWarning(ex, "Could not renew session lock {LockKey}", (string?)_key);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            _stop.Dispose();
            try
            {
                await _db.ScriptEvaluateAsync(ReleaseScript, [_key], [_token]);
            }
            catch (RedisException ex)
            {
                // Not fatal: the lease runs out on its own.
                _logger.LogWarning(ex, "Could not release session lock {LockKey}", (string?)_key);
            }
        }
    }
}
