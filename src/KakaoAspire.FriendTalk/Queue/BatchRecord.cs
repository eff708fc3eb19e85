namespace KakaoAspire.FriendTalk.Queue;

public static class BatchState
{
    /// <summary>Messages taken from the queue; nothing built or sent yet.</summary>
    public const string Claimed = "claimed";

    /// <summary>Request body and idempotency key stored; the provider may or may not have been called.</summary>
    public const string Persisted = "persisted";

    /// <summary>A call is (or was, when a worker died) in flight.</summary>
    public const string Calling = "calling";

    /// <summary>The last call failed transiently without reaching the provider's books (5xx before acceptance).</summary>
    public const string Retry = "retry";

    /// <summary>NHN said the key was used (-1005) or the key window passed: find the outcome by result query.</summary>
    public const string Reconcile = "reconcile";
}

/// <summary>One batch as stored in Redis: the id is also NHN's idempotency key. <see cref="Faults"/>: exceptions thrown while processing it.</summary>
public sealed record BatchRecord(
    string Id,
    string Group,
    IReadOnlyList<string> MessageIds,
    string State,
    string? Body,
    DateTimeOffset? FirstSentAt,
    int Attempts,
    int Faults = 0)
{
    /// <summary>The lease token this worker holds the batch with (set by the worker, never read back): its writes name it.</summary>
    public string Holder { get; init; } = "";
}
