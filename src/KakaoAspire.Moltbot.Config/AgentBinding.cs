namespace KakaoAspire.Moltbot.Config;

/// <summary>A routing rule: messages matching <see cref="Match"/> go to <see cref="AgentId"/> (docs/moltbot-channel-rules.md#bindings).</summary>
public sealed record AgentBinding(string AgentId, BindingMatch Match);

/// <summary>
/// <see cref="AccountId"/>: "*" matches any account; null matches only the default account (Moltbot's rule).
/// </summary>
public sealed record BindingMatch(string Channel, string? AccountId = null, BindingPeer? Peer = null);

/// <summary><see cref="Kind"/> is "dm" | "group" | "channel".</summary>
public sealed record BindingPeer(string Kind, string Id);
