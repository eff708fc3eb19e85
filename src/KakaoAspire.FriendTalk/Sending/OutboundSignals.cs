namespace KakaoAspire.FriendTalk.Sending;

/// <summary>The loops' wake-ups (one singleton): the sender's and the delivery poller's.</summary>
public sealed class OutboundSignals
{
    /// <summary>Set when a message enters a ready list or the delayed set (accepted, resent after a poll).</summary>
    public WorkSignal Sender { get; } = new();

    /// <summary>Set when sent messages enter the poll set.</summary>
    public WorkSignal Poller { get; } = new();
}
