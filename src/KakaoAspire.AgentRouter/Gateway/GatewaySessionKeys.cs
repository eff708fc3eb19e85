using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// Our session keys as the gateway needs them: the gateway rejects an <c>agent</c> run whose key names another agent
/// than <c>agentId</c>, so the agent part becomes the Moltbot agent's id; the rest (account, peer, <c>:gN</c> after a
/// <c>/reset</c>) stays, so a reset starts a new Moltbot session too.
/// </summary>
public static class GatewaySessionKeys
{
    /// <summary>
    /// The model-name prefix of an OpenClaw gateway's OpenAI-compatible endpoint: <c>openclaw/&lt;agentId&gt;</c>.
    /// Moltbot's <c>moltbot:&lt;agentId&gt;</c> is still read from the config, but the gateway answers it with 400.
    /// </summary>
    public const string ModelPrefix = "openclaw/";
    public const string LegacyModelPrefix = "moltbot:";

    /// <summary>OpenClaw's model name for its default agent.</summary>
    public const string DefaultAgentModel = "openclaw";

    public static string AgentId(AgentConfig agent) => (agent.Model.AgentId ?? agent.Id).Trim().ToLowerInvariant();

    /// <summary>
    /// The gateway agent id of an openai model name (<c>openclaw/main</c>, <c>openclaw:main</c>, legacy <c>moltbot:main</c>;
    /// plain <c>openclaw</c> is "main"); null for other models.
    /// </summary>
    public static string? AgentIdFromModelName(string? modelName)
    {
        var name = modelName?.Trim();
        if (string.Equals(name, DefaultAgentModel, StringComparison.OrdinalIgnoreCase))
        {
            return AgentConfig.BuiltinId;
        }
        foreach (var prefix in new[] { ModelPrefix, "openclaw:", LegacyModelPrefix })
        {
            if (name is not null && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
            {
                return name[prefix.Length..].Trim().ToLowerInvariant();
            }
        }
        return null;
    }

    /// <summary>The model name the gateway accepts for that agent.</summary>
    public static string ModelName(string agentId) => ModelPrefix + agentId;

    public static string WithAgent(string sessionKey, string agentId)
    {
        var parts = sessionKey.Split(':', 3);
        return parts is ["agent", _, var rest] ? $"agent:{agentId}:{rest}" : $"agent:{agentId}:{sessionKey}";
    }

    /// <summary>Stable across our retries of one turn, unique across the gateway: a retried turn is one Moltbot run.</summary>
    public static string IdempotencyKey(string turnId) => $"kakao:{turnId}";
}
