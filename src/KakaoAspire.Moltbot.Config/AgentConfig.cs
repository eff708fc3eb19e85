namespace KakaoAspire.Moltbot.Config;

/// <summary>One entry of <c>agents.list[]</c> or <c>agents.entries</c>; Moltbot's other agent keys are ignored.</summary>
public sealed record AgentConfig
{
    public const string BuiltinId = "main";

    /// <summary>Normalized to lowercase, as Moltbot does.</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    /// <summary>Exactly one agent of a loaded config is the default.</summary>
    public bool Default { get; init; }

    public string? SystemPrompt { get; init; }

    public AgentModel Model { get; init; } = AgentModel.Builtin;

    public static AgentConfig BuiltinMain() => new() { Id = BuiltinId, Default = true };

    /// <summary>An agent we do not list but a binding names: the OpenClaw (Moltbot) gateway's agent of that id.</summary>
    public static AgentConfig GatewayAgent(string id) => new()
    {
        Id = id.Trim().ToLowerInvariant(),
        Model = new AgentModel { Provider = AgentModelProvider.Moltbot, AgentId = id.Trim().ToLowerInvariant() },
    };
}
