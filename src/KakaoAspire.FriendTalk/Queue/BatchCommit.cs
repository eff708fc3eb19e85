namespace KakaoAspire.FriendTalk.Queue;

/// <summary>Everything that ends a batch, written in one script with the batch's removal, while the lease is still ours.</summary>
public sealed class BatchCommit
{
    public List<(string MessageId, Dictionary<string, string> Fields)> Updates { get; } = [];

    public List<(string MessageId, DateTimeOffset At)> Polls { get; } = [];

    public List<(string MessageId, DateTimeOffset At)> Deferrals { get; } = [];

    public List<(string MessageId, string Group)> Requeues { get; } = [];

    public List<(string AccountId, string Counter, string LastField, string At)> Stats { get; } = [];

    /// <summary>Messages a provider accepted, per account, with the time (UTC, ISO 8601 "O") for the status API.</summary>
    public List<(string AccountId, string UtcAt)> Sends { get; } = [];

    public string? LastError { get; set; }

    public string? AccountId { get; set; }
}
