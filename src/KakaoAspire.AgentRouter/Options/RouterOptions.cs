namespace KakaoAspire.AgentRouter.Options;

/// <summary>Limits of the router's Redis state (config section <c>AgentRouter</c>); Moltbot's file has no place for them.</summary>
public sealed class RouterOptions
{
    public const string Section = "AgentRouter";

    /// <summary>Kept messages per session (user and assistant messages each count one).</summary>
    public int MaxHistoryMessages { get; set; } = 40;

    /// <summary>Kept characters per session, oldest messages dropped first, so a prompt stays within a model's window.</summary>
    public int MaxHistoryCharacters { get; set; } = 16_000;

    /// <summary>History is personal data: it goes away after this long without a message.</summary>
    public TimeSpan HistoryTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a session lock lives unless renewed: a router that dies mid-turn blocks its session at most this long.</summary>
    public TimeSpan LockLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Messages that may wait for one session's turn at a time (across replicas); one more is answered "busy" at once
    /// instead of holding a connection and a waiter for the whole turn budget.
    /// </summary>
    public int MaxWaitersPerSession { get; set; } = 4;

    /// <summary>Finished answers wait this long for the webhook to deliver them (held answers).</summary>
    public TimeSpan AnswerTtl { get; set; } = TimeSpan.FromHours(24);
}
