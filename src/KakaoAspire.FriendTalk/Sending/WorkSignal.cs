namespace KakaoAspire.FriendTalk.Sending;

/// <summary>
/// Wakes a background loop in this process when work it waits for was written (a send accepted, a poll due): the
/// loop sleeps on it instead of polling Redis. A wake that comes while the loop is busy is kept, not lost: the
/// next wait returns at once. In memory only: work written by another replica is found by the loop's bounded
/// fallback look, never by this.
/// </summary>
public sealed class WorkSignal
{
    // Count 0 or 1: any number of wakes before the loop next waits is one pass over the queue.
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Wake()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; the loop has not looked yet.
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
