using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Routing;

/// <summary>
/// Picks the agent as Moltbot's resolve-route.ts does: peer, then a concrete account, then <c>accountId: "*"</c>,
/// then the default agent. First match wins within each rule, in file order.
/// </summary>
public static class BindingResolver
{
    public static AgentRoute Resolve(MoltbotConfig config, string channel, string accountId, string peerKind, string peerId)
    {
        var candidates = config.Bindings
            .Where(b => string.Equals(b.Match.Channel, channel, StringComparison.OrdinalIgnoreCase)
                && MatchesAccount(b.Match.AccountId, accountId))
            .ToList();

        var peer = candidates.FirstOrDefault(b => b.Match.Peer is { } p
            && string.Equals(p.Kind, peerKind, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.Id, peerId, StringComparison.OrdinalIgnoreCase));
        if (peer is not null)
        {
            return Pick(config, peer, MatchedBy.Peer);
        }

        // A binding with a peer matches only that peer; it never widens to the whole account. A binding without
        // accountId counts as bound to the default account (Moltbot: any accountId other than "*").
        var account = candidates.FirstOrDefault(b => b.Match.Peer is null && b.Match.AccountId is not "*");
        if (account is not null)
        {
            return Pick(config, account, MatchedBy.Account);
        }

        var anyAccount = candidates.FirstOrDefault(b => b.Match.Peer is null && b.Match.AccountId == "*");
        if (anyAccount is not null)
        {
            return Pick(config, anyAccount, MatchedBy.Channel);
        }

        return new AgentRoute(config.DefaultAgent, MatchedBy.Default);
    }

    // Moltbot's trap: a binding without accountId covers only the "default" account, not every account.
    private static bool MatchesAccount(string? bound, string accountId) => bound switch
    {
        "*" => true,
        null => string.Equals(accountId, KakaoAccountConfig.DefaultId, StringComparison.OrdinalIgnoreCase),
        _ => string.Equals(bound, accountId.Trim(), StringComparison.OrdinalIgnoreCase),
    };

    // An agent we do not list is the user's own OpenClaw agent (the guide binds "my-assistant"), never our default.
    private static AgentRoute Pick(MoltbotConfig config, AgentBinding binding, string matchedBy) =>
        config.FindAgent(binding.AgentId) is { } agent
            ? new AgentRoute(agent, matchedBy)
            : new AgentRoute(AgentConfig.GatewayAgent(binding.AgentId), matchedBy, GatewayOnly: true);
}
