namespace KakaoAspire.Webhook.Deadline;

/// <summary>Waiting for a turn up to a deadline.</summary>
public static class TurnWaits
{
    /// <summary>
    /// Completes when <paramref name="turn"/> ends, <paramref name="limit"/> passes or <paramref name="cancellationToken"/>
    /// fires, whichever comes first; never throws (the caller looks at the turn afterwards). Unlike
    /// <c>Task.WhenAny(turn, Task.Delay(limit))</c>, the timer goes away when the turn wins: a left-over delay held the
    /// request's execution context (its Activity, logging scopes) until the deadline, seconds after the reply had left.
    /// </summary>
    public static async Task WaitUpToAsync(this Task turn, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken) =>
        await turn.WaitAsync(limit, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
}
