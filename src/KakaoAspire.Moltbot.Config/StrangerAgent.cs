namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// The agent that answers a user no peer binding names, by the agent-router's rules: a binding to the account, then
/// <c>accountId: "*"</c>, then the default agent. A bound agent id we do not list is the user's own agent in their
/// Moltbot/OpenClaw gateway (the guide binds "my-assistant" that way).
/// </summary>
public static class StrangerAgent
{
    /// <summary>The binding that picks the agent, or null when the default agent answers.</summary>
    public static AgentBinding? Binding(MoltbotConfig config, string accountId)
    {
        var candidates = config.Bindings
            .Where(b => string.Equals(b.Match.Channel, "kakao", StringComparison.OrdinalIgnoreCase) && b.Match.Peer is null)
            .ToList();
        return candidates.FirstOrDefault(b => b.Match.AccountId is not "*" && string.Equals(
                   b.Match.AccountId ?? KakaoAccountConfig.DefaultId, accountId, StringComparison.OrdinalIgnoreCase))
               ?? candidates.FirstOrDefault(b => b.Match.AccountId == "*");
    }

    /// <summary>
    /// The id of the agent strangers reach when it runs in the user's gateway (with that gateway's own tools): a listed
    /// agent with provider moltbot, or a bound id we do not list. Null when it is one of ours (built-in, OpenAI-compatible).
    /// </summary>
    public static string? InGateway(MoltbotConfig config, string accountId)
    {
        if (Binding(config, accountId) is { } binding)
        {
            return config.FindAgent(binding.AgentId) is { } bound
                ? (bound.Model.Provider == AgentModelProvider.Moltbot ? bound.Id : null)
                : binding.AgentId;
        }
        return config.DefaultAgent.Model.Provider == AgentModelProvider.Moltbot ? config.DefaultAgent.Id : null;
    }
}
