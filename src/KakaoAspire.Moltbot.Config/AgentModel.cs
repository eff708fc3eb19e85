namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// An agent's <c>model</c>: <c>{provider:"builtin"}</c>, <c>{provider:"openai", endpoint, name, apiKey}</c>,
/// <c>{provider:"moltbot", agentId}</c>, or Moltbot's own string form ("anthropic/claude-…"), which means
/// the agent lives in the user's Moltbot gateway under the same id.
/// </summary>
public sealed record AgentModel
{
    public static readonly AgentModel Builtin = new();

    public AgentModelProvider Provider { get; init; } = AgentModelProvider.Builtin;

    /// <summary>"builtin" | "openai" | "moltbot", as written in the file.</summary>
    public string ProviderName => Provider.ToConfigValue();

    /// <summary>OpenAI-compatible base URL.</summary>
    public string? Endpoint { get; init; }

    /// <summary>OpenAI model name.</summary>
    public string? Name { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>The Moltbot gateway agent that runs the turns.</summary>
    public string? AgentId { get; init; }

    /// <summary>Moltbot's model string when the file used one (e.g. "anthropic/claude-…"), kept for status.</summary>
    public string? RawModel { get; init; }

    public override string ToString() =>
        $"AgentModel {{ Provider = {ProviderName}, Endpoint = {Endpoint}, Name = {Name}, " +
        $"ApiKey = {Secret.Mask(ApiKey)}, AgentId = {AgentId}, RawModel = {RawModel} }}";
}
