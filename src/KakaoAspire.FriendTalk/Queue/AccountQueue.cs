namespace KakaoAspire.FriendTalk.Queue;

/// <summary>
/// One account's outbound queue as an operator needs it: messages ready to send, in a batch being sent (or retried),
/// scheduled for later (night window, quota), the oldest message still waiting to go out, today's use of dailyCap
/// and the last failure.
/// </summary>
public sealed record AccountQueue(
    string AccountId,
    long Ready,
    long Sending,
    long Scheduled,
    string? OldestWaitingId,
    DateTimeOffset? OldestWaitingSince,
    long CapUsed,
    int CapLimit,
    string? LastError,
    string? LastFailedAt)
{
    /// <summary>Messages that should be on their way now (scheduled ones wait on purpose).</summary>
    public long Waiting => Ready + Sending;
}

/// <summary>The answer of <c>GET /api/v1/queue</c>.</summary>
public sealed record QueueReport(DateTimeOffset At, IReadOnlyList<AccountQueue> Accounts);
