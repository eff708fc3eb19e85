using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// Wakes the messages waiting for a session lock when any router releases it: one pub/sub subscription per process
/// (Garnet has pub/sub but no keyspace notifications, so the releasing router publishes the key itself). A lock that
/// simply expires (its router died) sends nothing; waiters also look again on a slow timer for that.
/// </summary>
public sealed partial class LockReleaseSignals(IConnectionMultiplexer redis, ILogger<LockReleaseSignals> logger)
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RouterRedisKeys.SessionLockReleasedChannel);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SemaphoreSlim>> _waiters = [];
    private Task? _subscription;

    /// <summary>A signal that is set whenever <paramref name="lockKey"/> is released; dispose it when done waiting.</summary>
    public async Task<Waiter> WatchAsync(string lockKey)
    {
        await SubscribeAsync();
        var signal = new SemaphoreSlim(0, 1);
        lock (_gate)
        {
            if (!_waiters.TryGetValue(lockKey, out var list))
            {
                _waiters[lockKey] = list = [];
            }
            list.Add(signal);
        }
        return new Waiter(this, lockKey, signal);
    }

    public async Task PublishReleasedAsync(string lockKey)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, lockKey);
        }
        catch (RedisException ex)
        {
            // The waiters' slow timer finds the free lock anyway.
            LogAnnounceFailed(logger, ex, lockKey);
        }
    }

    private async Task SubscribeAsync()
    {
        Task subscription;
        lock (_gate)
        {
            subscription = _subscription ??= redis.GetSubscriber().SubscribeAsync(Channel, (_, key) => Signal(key.ToString()));
        }
        try
        {
            await subscription;
        }
        catch (RedisException ex)
        {
            // Waiting still works on the slow timer; the next waiter tries to subscribe again.
            LogSubscribeFailed(logger, ex);
            lock (_gate)
            {
                if (_subscription == subscription)
                {
                    _subscription = null;
                }
            }
        }
    }

    private void Signal(string lockKey)
    {
        lock (_gate)
        {
            foreach (var signal in _waiters.GetValueOrDefault(lockKey) ?? [])
            {
                if (signal.CurrentCount == 0)
                {
                    signal.Release();
                }
            }
        }
    }

    private void Forget(string lockKey, SemaphoreSlim signal)
    {
        lock (_gate)
        {
            if (_waiters.TryGetValue(lockKey, out var list) && list.Remove(signal) && list.Count == 0)
            {
                _waiters.Remove(lockKey);
            }
        }
        signal.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the release of session lock {LockKey}")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string lockKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to session lock releases; waiting messages look again every second")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    public sealed class Waiter(LockReleaseSignals owner, string lockKey, SemaphoreSlim signal) : IDisposable
    {
        /// <summary>True when the lock was released since the last call; false when <paramref name="timeout"/> passed first.</summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

        public void Dispose() => owner.Forget(lockKey, signal);
    }
}
