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
}
