namespace KakaoAspire.FriendTalk.Sending;

/// <summary>Sender tuning (app configuration section <c>FriendTalk:Sender</c>); the defaults suit production.</summary>
public sealed class SenderOptions
{
    public const string Section = "FriendTalk:Sender";

    /// <summary>False runs the API only (tests stop the sender this way; a replica may, too).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the queue is sampled for the dashboard's depth, oldest-age and daily-cap gauges.</summary>
    public TimeSpan QueueSampleInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longer than <see cref="HttpTimeout"/>, so a live worker's batch is never taken over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The idle sender's first fallback look at the queue; each quiet look doubles it up to <see cref="IdleDelayMax"/>.
    /// A send accepted by this replica wakes the sender at once; one accepted by another replica waits at most the max.
    /// </summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan IdleDelayMax { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most recipients in one NHN request (1 to 1000, NHN's limit). Below 1000 only to measure or to stay under a
    /// proxy's body limit: 1 sends one request per message.
    /// </summary>
    public int MaxBatchRecipients { get; set; } = 1000;

    /// <summary>
    /// Calls per batch before transient failures stop retrying; also how many times a batch may throw (a bug, an
    /// unreadable answer) before its messages are failed with the reason instead of being taken up forever.
    /// </summary>
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>NHN rejects a reused key for 10 minutes; we resend an identical batch only inside this (shorter) span.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(9);

    public TimeSpan ReconcileDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many fresh batches a message may go through before it is failed.</summary>
    public int MaxRounds { get; set; } = 3;

    public TimeSpan PollDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait between polls of a message whose result query keeps failing (timeouts, unreadable answers):
    /// its waits grow from <see cref="PollDelay"/> to this.
    /// </summary>
    public TimeSpan PollBackoffMax { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The delivery poller's shortest wait between looks (after polling, or after an error).</summary>
    public TimeSpan PollIdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The poller's longest sleep: it sleeps until the earliest poll is due, and polls written by this replica wake
    /// it, so this bounds only how late a poll written by another replica can be taken up.
    /// </summary>
    public TimeSpan PollIdleDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Kakao keeps undelivered messages up to 3 days; after that we stop asking.</summary>
    public TimeSpan PollGiveUpAfter { get; set; } = TimeSpan.FromDays(3);
}
