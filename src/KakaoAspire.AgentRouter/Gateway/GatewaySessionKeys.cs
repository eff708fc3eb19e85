using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// Our session keys as the gateway needs them: the gateway rejects an <c>agent</c> run whose key names another agent
/// than <c>agentId</c>, so the agent part becomes the Moltbot agent's id; the rest (account, peer, <c>:gN</c> after a
/// <c>/reset</c>) stays, so a reset starts a new Moltbot session too.
/// </summary>
public static class GatewaySessionKeys
{
    /// <summary>The model-name prefix of a gateway's OpenAI-compatible endpoint: <c>moltbot:&lt;agentId&gt;</c>.</summary>
    public const string ModelPrefix = "moltbot:";

    public static string AgentId(AgentConfig agent) => (agent.Model.AgentId ?? agent.Id).Trim().ToLowerInvariant();

    /// <summary>The Moltbot agent id of an openai model name such as <c>moltbot:main</c>; null for other models.</summary>
    public static string? AgentIdFromModelName(string? modelName) =>
        modelName is not null && modelName.StartsWith(ModelPrefix, StringComparison.OrdinalIgnoreCase) && modelName.Length > ModelPrefix.Length
            ? modelName[ModelPrefix.Length..].Trim().ToLowerInvariant()
            : null;

    public static string WithAgent(string sessionKey, string agentId)
    {
        var parts = sessionKey.Split(':', 3);
        return parts is ["agent", _, var rest] ? $"agent:{agentId}:{rest}" : $"agent:{agentId}:{sessionKey}";
    }

    /// <summary>Stable across our retries of one turn, unique across the gateway: a retried turn is one Moltbot run.</summary>
    public static string IdempotencyKey(string turnId) => $"kakao:{turnId}";
}
