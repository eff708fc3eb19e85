namespace KakaoAspire.AgentRouter;

/// <summary>
/// The Redis keys the agent-router owns, all under <c>moltbot:</c>. No other service reads or writes them: the webhook
/// reads a turn's answer through <c>/internal/turns/{id}</c> and forgets delivered ones through
/// <c>/internal/turns/delivered</c> (docs/contracts.md#the-agent-router).
/// </summary>
public static class RouterRedisKeys
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

    /// <summary>How many kakao_send calls the turns of one user made on one KST day (yyyyMMdd), for agentSendsPerUserPerDay.</summary>
    public static string AgentSendDailyCount(string accountId, string userId, string kstDay) =>
        $"moltbot:out:agentcap:{accountId}:{userId}:{kstDay}";
}
