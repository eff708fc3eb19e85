namespace KakaoAspire.Contracts;

/// <summary>Headers that only our own services set for each other.</summary>
public static class InternalHeaders
{
    /// <summary>
    /// The account a skill request arrived for. The edge removes any copy a caller sent and sets its own from the
    /// (port, path) the request came in on, so the webhook can believe it.
    /// </summary>
    public const string Account = "X-KakaoAspire-Account";

    /// <summary>
    /// When the edge received a skill request (Unix milliseconds): the webhook counts replyDeadlineMs from there, not
    /// from when the request reached it, so time spent in the proxy hop under a burst is inside the budget.
    /// Set, like <see cref="Account"/>, only by the edge.
    /// </summary>
    public const string ReceivedAt = "X-KakaoAspire-Received-At";
}
