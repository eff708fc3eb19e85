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
        // Already woken, the loop has not looked yet: nothing to add. Checked first because every accepted send wakes the
        // sender, which is mostly woken already under load, and the full semaphore's exception cost each of those sends
        // an exception thrown and caught (2 % of the outbound bench's CPU; docs/benchmarks.md, "Session 12").
        if (_pending.CurrentCount > 0)
        {
            return;
        }
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another wake released it between the check and here.
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);
}
