using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Routing;

/// <summary>
/// The agent a message goes to and why. <see cref="GatewayOnly"/> is set when a binding named an agent that is not in
/// agents.list/agents.entries: <see cref="Agent"/> is then the OpenClaw gateway's agent of that id.
/// </summary>
public sealed record AgentRoute(AgentConfig Agent, string MatchedBy, bool GatewayOnly = false);
