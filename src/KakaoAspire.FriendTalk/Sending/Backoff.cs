namespace KakaoAspire.FriendTalk.Sending;

/// <summary>Exponential backoff with jitter, so replicas retrying the same outage do not call in step.</summary>
public static class Backoff
{
    public static TimeSpan For(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    /// <summary>
    /// An idle loop's sleep: <paramref name="wait"/> kept between <paramref name="least"/> (a due time already past, or
    /// a lease another replica keeps renewing, must not make the loop spin) and <paramref name="most"/> (what work
    /// written by another replica waits at worst).
    /// </summary>
    public static TimeSpan Clamp(TimeSpan wait, TimeSpan least, TimeSpan most) =>
        wait < least ? least : wait > most ? most : wait;
}
