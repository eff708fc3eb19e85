namespace KakaoAspire.Webhook;

/// <summary>
/// The Redis keys the webhook owns, all under <c>moltbot:</c>. No other service reads or writes them
/// (docs/architecture.md); the one record it shares is <see cref="AccountOutboundActivity"/>, which it only reads.
/// </summary>
public static class WebhookRedisKeys
{
    /// <summary>Inbound activity of an account, a hash (<c>lastAt</c> ISO 8601 UTC, <c>count</c>, <c>lastError</c>, <c>lastErrorAt</c>); the webhook writes it.</summary>
    public static string AccountInbound(string accountId) => $"moltbot:account:{accountId}:in";

    /// <summary>One skill request seen within the dedupe window (SET NX EX); the value is its turn id.</summary>
    public static string SkillDedupe(string hash) => $"moltbot:dedupe:kakao:{hash}";

    /// <summary>A user's agent-turn rate (GCRA: the theoretical arrival time in Unix ms), expiring when it is back to idle.</summary>
    public static string UserTurnRate(string accountId, string userId) => $"moltbot:rate:kakao:{accountId}:{userId}";

    /// <summary>Turn ids whose answers missed the reply deadline and wait for the user, oldest first (a list).</summary>
    public static string HeldAnswers(string accountId, string userId) => $"moltbot:held:kakao:{accountId}:{userId}";

    /// <summary>A turn whose agent-router call failed (the router died mid-turn, or answered an error), so it is told as failed.</summary>
    public static string FailedTurn(string turnId) => $"moltbot:held:failed:{turnId}";

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

    /// <summary>The reply a rate-limited request got (a TurnResponse JSON), kept for Kakao's retries within the dedupe window.</summary>
    public static string RefusedTurn(string turnId) => $"moltbot:rate:refused:{turnId}";
}
