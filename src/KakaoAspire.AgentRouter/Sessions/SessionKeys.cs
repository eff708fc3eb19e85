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
}
