namespace KakaoAspire.AgentRouter.Routing;

/// <summary>Moltbot's names for the rule that picked the agent (src/routing/resolve-route.ts).</summary>
public static class MatchedBy
{
    public const string Peer = "binding.peer";
    public const string Account = "binding.account";
    public const string Channel = "binding.channel";
    public const string Default = "default";
}
