namespace KakaoAspire.Contracts;

/// <summary>Every Redis key our services share, in one place, all under the <c>moltbot:</c> prefix.</summary>
public static class RedisKeys
{
    /// <summary>A session's turns, newest last (a list of JSON turns).</summary>
    public static string SessionTurns(string sessionKey) => $"moltbot:session:{sessionKey}:turns";

    /// <summary>The finished answer of a turn, kept until it is delivered.</summary>
    public static string TurnAnswer(string turnId) => $"moltbot:turn:{turnId}:answer";

    /// <summary>
    /// The session generation of a base session key (an integer; absent = 1). <c>/reset</c> increments it, and the
    /// session key gains a <c>:g&lt;n&gt;</c> suffix, so a Moltbot gateway agent starts a fresh session as well.
    /// </summary>
    public static string SessionGeneration(string baseSessionKey) => $"moltbot:session:{baseSessionKey}:generation";

    /// <summary>
    /// One turn at a time per session, across router replicas: holds a random token, expires unless renewed.
    /// Keyed by the base session key (no generation), so a <c>/reset</c> racing another message stays serialized.
    /// </summary>
    public static string SessionLock(string baseSessionKey) => $"moltbot:session:{baseSessionKey}:lock";

    /// <summary>
    /// The messages waiting for a session's lock, across replicas: a sorted set of waiter tokens scored by when each
    /// stops waiting (ms), so a waiter whose router died drops out by itself. Bounds how many may wait.
    /// </summary>
    public static string SessionLockWaiters(string baseSessionKey) => $"moltbot:session:{baseSessionKey}:lock:waiters";

    /// <summary>The pub/sub channel a router publishes a released session lock key on, so waiters try again at once.</summary>
    public static string SessionLockReleasedChannel => "moltbot:session:lock-released";

    /// <summary>Set while a turn is accepted and not yet answered (queued or running); expires with the turn budget.</summary>
    public static string TurnRunning(string turnId) => $"moltbot:turn:{turnId}:running";

    /// <summary>An outbound message's record (status, provider ids), a hash.</summary>
    public static string OutboundMessage(string messageId) => $"moltbot:out:msg:{messageId}";

    /// <summary>Inbound activity of an account, a hash (<c>lastAt</c> ISO 8601 UTC, <c>count</c>, <c>lastError</c>, <c>lastErrorAt</c>); the webhook writes it.</summary>
    public static string AccountInbound(string accountId) => $"moltbot:account:{accountId}:in";

    /// <summary>Outbound activity of an account, a hash (<c>lastAt</c> ISO 8601 UTC, <c>count</c>); the friendtalk service writes it.</summary>
    public static string AccountOutbound(string accountId) => $"moltbot:account:{accountId}:out";

    /// <summary>One skill request seen within the dedupe window (SET NX EX); the value is its turn id.</summary>
    public static string SkillDedupe(string hash) => $"moltbot:dedupe:kakao:{hash}";

    /// <summary>A user's agent-turn rate (GCRA: the theoretical arrival time in Unix ms), expiring when it is back to idle.</summary>
    public static string UserTurnRate(string accountId, string userId) => $"moltbot:rate:kakao:{accountId}:{userId}";

    /// <summary>Turn ids whose answers missed the reply deadline and wait for the user, oldest first (a list).</summary>
    public static string HeldAnswers(string accountId, string userId) => $"moltbot:held:kakao:{accountId}:{userId}";

    /// <summary>
    /// A callback POST still owed to Kakao (a hash: <c>job</c> JSON, <c>owner</c> replica, and while the POST is out
    /// <c>posting</c>, <c>mode</c>, <c>body</c>); it expires soon after Kakao's one-minute callback lifetime.
    /// </summary>
    public static string Callback(string turnId) => $"moltbot:callback:{turnId}";

    /// <summary>Callbacks owed, scored by their owner's lease expiry in ms; an expired lease is taken up by any webhook replica.</summary>
    public static string CallbackLeases => "moltbot:callback:leases";

    /// <summary>The pages of a long answer still to be shown behind "더 보기" (a list of SkillResponse JSON).</summary>
    public static string MorePages(string pagesId) => $"moltbot:more:kakao:{pagesId}";

    /// <summary>The id of a user's latest "더 보기" pages, for a typed "더 보기" without the quick reply's extra.</summary>
    public static string LatestMorePages(string accountId, string userId) => $"moltbot:more:kakao:{accountId}:{userId}:latest";

    /// <summary>How many pages of a long answer a typed "더 보기" has taken so far (an integer; the next page's index).</summary>
    public static string MorePagesCursor(string pagesId) => $"moltbot:more:kakao:{pagesId}:cursor";

    /// <summary>The page index one typed "더 보기" request was given, by its dedupe hash, so Kakao's retry gets the same page.</summary>
    public static string MorePagesServed(string hash) => $"moltbot:more:kakao:served:{hash}";

    /// <summary>A pending pairing request by its code (JSON: account, user, times; expires after 1 h).</summary>
    public static string PairingCode(string code) => $"moltbot:pairing:kakao:code:{code}";

    /// <summary>An account's pending pairing codes, a sorted set scored by expiry (Unix seconds).</summary>
    public static string PairingPending(string accountId) => $"moltbot:pairing:kakao:{accountId}:pending";

    /// <summary>The code a user was given (SET NX: a user gets one code at a time).</summary>
    public static string PairingUser(string accountId, string userId) => $"moltbot:pairing:kakao:{accountId}:user:{userId}";

    /// <summary>User ids approved through pairing, lowercase (a set).</summary>
    public static string PairingApproved(string accountId) => $"moltbot:pairing:kakao:{accountId}:approved";

    /// <summary>An idempotency record of the outbound API (the answer given for one key), kept at least 24 h.</summary>
    public static string OutboundIdempotency(string keyHash) => $"moltbot:out:idem:{keyHash}";

    /// <summary>How many messages an account accepted on one KST day (yyyyMMdd), for its dailyCap.</summary>
    public static string OutboundDailyCount(string accountId, string kstDay) => $"moltbot:out:cap:{accountId}:{kstDay}";

    /// <summary>How many kakao_send calls the turns of one user made on one KST day (yyyyMMdd), for agentSendsPerUserPerDay.</summary>
    public static string AgentSendDailyCount(string accountId, string userId, string kstDay) =>
        $"moltbot:out:agentcap:{accountId}:{userId}:{kstDay}";

    /// <summary>An account's outbound counts and last times (a hash), read by the status API.</summary>
    public static string OutboundStats(string accountId) => $"moltbot:out:stats:{accountId}";

    /// <summary>Message ids ready to send for one batch group (a list; pushed left, popped right).</summary>
    public static string OutboundReady(string group) => $"moltbot:out:q:ready:{group}";

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
