namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>Session keys as Moltbot forms them (src/routing/session-key.ts): lowercase, by <c>session.dmScope</c>.</summary>
public static class SessionKeys
{
    public static string ForDirectMessage(string agentId, string channel, string accountId, string peerId, string dmScope)
    {
        var key = dmScope switch
        {
            "main" => $"agent:{agentId}:main",
            "per-peer" => $"agent:{agentId}:dm:{peerId}",
            "per-channel-peer" => $"agent:{agentId}:{channel}:dm:{peerId}",
            // The default: strangers on a public channel never share a session, and accounts stay apart.
            _ => $"agent:{agentId}:{channel}:{accountId}:dm:{peerId}",
        };
        return key.ToLowerInvariant();
    }

    /// <summary>
    /// Generation 1 is the base key itself; after a <c>/reset</c> the session continues under <c>…:g2</c>, <c>…:g3</c>.
    /// A new key rather than an emptied one, because a Moltbot gateway session can only be reset by an admin.
    /// </summary>
    public static string WithGeneration(string baseKey, long generation) =>
        generation <= 1 ? baseKey : $"{baseKey}:g{generation}";
}
