namespace KakaoAspire.FriendTalk.Messages;

/// <summary>What <c>GET /api/v1/messages/{id}</c> reports.</summary>
public static class MessageStatus
{
    public const string Accepted = "accepted";
    public const string Scheduled = "scheduled";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
