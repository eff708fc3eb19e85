namespace KakaoAspire.Contracts;

/// <summary>
/// The one Redis record two services share: an account's outbound activity, a hash the friendtalk service writes with
/// every send and the webhook's status API reads (<c>moltbot kakao status</c> shows it as <c>out:</c>). Everything else
/// in Redis is private to the service that owns it.
/// </summary>
public static class AccountOutboundActivity
{
    /// <summary>The hash of one account (<see cref="LastAt"/>, <see cref="Count"/>).</summary>
    public static string Key(string accountId) => $"moltbot:account:{accountId}:out";

    /// <summary>When the last message was sent, ISO 8601 UTC.</summary>
    public const string LastAt = "lastAt";

    /// <summary>How many messages were sent, an integer.</summary>
    public const string Count = "count";
}
