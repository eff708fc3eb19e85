namespace KakaoAspire.Moltbot.Config;

/// <summary>The loaded config: our <c>channels.kakao</c> plus the few Moltbot keys we read.</summary>
public sealed record MoltbotConfig
{
    /// <summary>The file it came from; null when no file was found and the defaults are used.</summary>
    public string? SourcePath { get; init; }

    public GatewaySection Gateway { get; init; } = new();

    public KakaoChannelConfig Kakao { get; init; } = new();

    /// <summary>Never empty: no <c>agents.list</c> or <c>agents.entries</c> means the built-in agent "main".</summary>
    public IReadOnlyList<AgentConfig> Agents { get; init; } = [AgentConfig.BuiltinMain()];

    public AgentConfig DefaultAgent => Agents.FirstOrDefault(a => a.Default) ?? Agents[0];

    /// <summary>Top-level <c>bindings</c>, then legacy <c>routing.bindings</c> (as accountId "*").</summary>
    public IReadOnlyList<AgentBinding> Bindings { get; init; } = [];

    public SessionSection Session { get; init; } = new();

    /// <summary>Things that load but deserve a look (e.g. a binding to an agent that only the gateway knows).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether some turn may run in the OpenClaw gateway: an agent of provider "moltbot", or a binding to an agent we do not list.</summary>
    public bool UsesGateway =>
        Agents.Any(a => a.Model.Provider == AgentModelProvider.Moltbot) || Bindings.Any(b => FindAgent(b.AgentId) is null);

    public AgentConfig? FindAgent(string id) =>
        Agents.FirstOrDefault(a => string.Equals(a.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    public override string ToString() =>
        $"MoltbotConfig {{ SourcePath = {SourcePath ?? "(defaults)"}, Gateway = {Gateway}, Kakao = {Kakao}, " +
        $"Agents = [{string.Join(", ", Agents.Select(a => a.Id))}], DefaultAgent = {DefaultAgent.Id}, " +
        $"Bindings = {Bindings.Count}, Session = {Session}, Warnings = {Warnings.Count} }}";
}
