namespace KakaoAspire.FriendTalk.Providers;

public enum DeliveryState
{
    Pending,
    Delivered,
    Failed,

    /// <summary>Kakao 3005/3060: sent, receipt unconfirmed; never resent.</summary>
    Unconfirmed,

    /// <summary>Kakao could not deliver it for a passing reason (2001, 3000, …): a new request may be sent.</summary>
    RetryableFailure,

    /// <summary>Kakao 3022: refused inside the night block; send again when it ends.</summary>
    NightBlocked,
}

/// <summary>A recipient's delivery as NHN's result query reports it.</summary>
public sealed record DeliveryResult(DeliveryState State, string? Code, string Reason);

/// <summary>A recipient found by NHN's result query when reconciling (by recipientGroupingKey).</summary>
public sealed record FoundRecipient(string MessageId, string RequestId, int RecipientSeq);
