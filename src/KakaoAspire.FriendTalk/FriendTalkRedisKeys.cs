namespace KakaoAspire.FriendTalk;

/// <summary>
/// The Redis keys the friendtalk service owns, all under <c>moltbot:</c>. No other service reads or writes them: the
/// status page and the simulator ask <c>/api/v1/queue</c> and <c>/api/v1/outbox</c> (docs/architecture.md).
/// </summary>
public static class FriendTalkRedisKeys
{
    /// <summary>An outbound message's record (status, provider ids), a hash.</summary>
    public static string OutboundMessage(string messageId) => $"moltbot:out:msg:{messageId}";

    /// <summary>An idempotency record of the outbound API (the answer given for one key), kept at least 24 h.</summary>
    public static string OutboundIdempotency(string keyHash) => $"moltbot:out:idem:{keyHash}";

    /// <summary>How many messages an account accepted on one KST day (yyyyMMdd), for its dailyCap.</summary>
    public static string OutboundDailyCount(string accountId, string kstDay) => $"moltbot:out:cap:{accountId}:{kstDay}";

    /// <summary>An account's outbound counts and last times (a hash), read by the status API.</summary>
    public static string OutboundStats(string accountId) => $"moltbot:out:stats:{accountId}";

    /// <summary>Message ids ready to send for one batch group (a list; pushed left, popped right).</summary>
    public static string OutboundReady(string group) => $"moltbot:out:q:ready:{group}";

    /// <summary>The newest accepted message ids, newest first, capped (a list): the development simulator's outbox.</summary>
    public static string OutboundRecent => "moltbot:out:recent";

    /// <summary>The batch groups that may have ready messages (a set).</summary>
    public static string OutboundGroups => "moltbot:out:q:groups";

    /// <summary>Message ids waiting for a time (night window, backoff, quota), scored by due time in ms (a sorted set).</summary>
    public static string OutboundDelayed => "moltbot:out:q:delayed";

    /// <summary>Batches being sent, scored by lease expiry in ms; an expired lease is taken up by any replica.</summary>
    public static string OutboundLeases => "moltbot:out:q:leases";

    /// <summary>One batch: its message ids, provider request body and idempotency key (a hash).</summary>
    public static string OutboundBatch(string batchId) => $"moltbot:out:batch:{batchId}";

    /// <summary>Sent message ids whose delivery result is still to be polled, scored by next poll time in ms.</summary>
    public static string OutboundPolling => "moltbot:out:q:poll";
}
