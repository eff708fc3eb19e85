using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Routing;

/// <summary>
/// The agent a message goes to and why. <see cref="UnknownAgentId"/> is set when a binding matched but named an
/// agent that is not in agents.list, so the default agent answers instead.
/// </summary>
public sealed record AgentRoute(AgentConfig Agent, string MatchedBy, string? UnknownAgentId = null);
