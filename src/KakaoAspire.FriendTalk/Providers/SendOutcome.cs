namespace KakaoAspire.FriendTalk.Providers;

/// <summary>How a provider call ended, by the classes of docs/nhn-and-event-api.md#result-codes-and-what-the-sender-does.</summary>
public enum SendOutcomeKind
{
    /// <summary>The request was accepted; per-recipient results say which recipients were.</summary>
    Accepted,

    /// <summary>5xx, timeout, NHN system errors: retry later (NHN: the identical request with the same key).</summary>
    Transient,

    /// <summary>NHN's daily volume is used up (-1017): defer to the next day.</summary>
    Quota,

    /// <summary>Config, auth or validation: retrying cannot help.</summary>
    Failed,

    /// <summary>NHN -1005: the idempotency key was used, so the batch may already be accepted: reconcile.</summary>
    Duplicate,

    /// <summary>No idempotency key and no answer (Event API timeout): the message may or may not have gone out.</summary>
    Unknown,
}

public sealed record RecipientOutcome(bool Accepted, int? RecipientSeq, string Code, string Reason);

/// <summary>One provider request's result. <see cref="Recipients"/> is keyed by our message id.</summary>
public sealed record SendOutcome(
    SendOutcomeKind Kind,
    string? RequestId,
    string? Code,
    string Reason,
    IReadOnlyDictionary<string, RecipientOutcome> Recipients)
{
    public static SendOutcome Of(SendOutcomeKind kind, string? code, string reason) => new(kind, null, code, reason, new Dictionary<string, RecipientOutcome>());
}
