namespace KakaoAspire.Contracts;

/// <summary>The agent's answer, for the webhook to render as a SkillResponse.</summary>
public sealed record TurnResponse
{
    public required string TurnId { get; init; }
    public required string AgentId { get; init; }
    public required string SessionKey { get; init; }
    /// <summary>Empty when the agent chose not to reply.</summary>
    public string Text { get; init; } = "";
    public IReadOnlyList<string> QuickReplies { get; init; } = [];
    public IReadOnlyList<string> ImageUrls { get; init; } = [];
    public IReadOnlyList<TurnCard> Cards { get; init; } = [];
    /// <summary>How the agent was chosen (Moltbot's matchedBy: binding.peer, binding.account, binding.channel, default).</summary>
    public string MatchedBy { get; init; } = "default";
    /// <summary>
    /// Null when the agent answered; otherwise why not, and <see cref="Text"/> already says so in Korean:
    /// "timeout" | "unauthorized" | "unreachable" | "provider-error" | "busy".
    /// </summary>
    public string? Failure { get; init; }
}
