using System.Text.Json;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>
/// Top-level <c>bindings</c> and the guide's legacy <c>routing.bindings [{channel, agent}]</c>, which Moltbot
/// migrates to <c>{agentId, match: {channel, accountId: "*"}}</c> (docs/moltbot-channel-rules.md#bindings).
/// </summary>
internal static class BindingsParser
{
    public static IReadOnlyList<AgentBinding> Parse(JsonElement root, ConfigContext context)
    {
        var bindings = new List<(AgentBinding Binding, string Path)>();
        ReadArray(ConfigContext.Property(root, "bindings"), "bindings", bindings, context);
        var routing = context.Object(ConfigContext.Property(root, "routing"), "routing");
        ReadArray(ConfigContext.Property(routing, "bindings"), "routing.bindings", bindings, context);
        return bindings.Select(b => b.Binding).ToList();
    }

    /// <summary>
    /// A binding to an agent that is not listed names the user's own OpenClaw agent (the guide's
    /// <c>routing.bindings: [{channel: "kakao", agent: "my-assistant"}]</c>): its messages go to that agent in the gateway.
    /// Said once at start, so a typo shows where the messages went.
    /// </summary>
    public static void WarnAboutUnknownAgents(
        IReadOnlyList<AgentBinding> bindings, IReadOnlyList<AgentConfig> agents, string gatewayUrl, ConfigContext context)
    {
        foreach (var binding in bindings.Where(b => !agents.Any(a => a.Id == b.AgentId)).DistinctBy(b => b.AgentId))
        {
            context.Warnings.Add(
                $"binding to agent \"{binding.AgentId}\" (channel {binding.Match.Channel}): not in agents.list or agents.entries, " +
                $"so its messages go to the OpenClaw gateway's agent \"{binding.AgentId}\" at {gatewayUrl} (channels.kakao.moltbotGateway.url); " +
                "add the agent to agents.list to run it elsewhere, or fix the binding");
        }
    }

    private static void ReadArray(JsonElement? value, string path, List<(AgentBinding, string)> into, ConfigContext context)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            context.TypeError(path, "an array", element);
            return;
        }

        var index = 0;
        foreach (var entry in element.EnumerateArray())
        {
            var entryPath = $"{path}[{index++}]";
            if (context.Object(entry, entryPath) is not { } obj)
            {
                continue;
            }

            var binding = ConfigContext.Property(obj, "agent") is not null && ConfigContext.Property(obj, "agentId") is null
                ? Legacy(obj, entryPath, context)
                : Current(obj, entryPath, context);
            if (binding is not null)
            {
                into.Add((binding, entryPath));
            }
        }
    }

    private static AgentBinding? Legacy(JsonElement obj, string path, ConfigContext context)
    {
        var agent = Required(obj, "agent", path, context);
        var channel = Required(obj, "channel", path, context);
        return agent is null || channel is null
            ? null
            : new AgentBinding(agent.ToLowerInvariant(), new BindingMatch(channel.ToLowerInvariant(), "*"));
    }

    private static AgentBinding? Current(JsonElement obj, string path, ConfigContext context)
    {
        var agentId = Required(obj, "agentId", path, context);
        var matchPath = ConfigContext.Join(path, "match");
        var match = context.Object(ConfigContext.Property(obj, "match"), matchPath);
        if (match is null)
        {
            context.Error(matchPath, "every binding needs a match such as {\"channel\": \"kakao\", \"accountId\": \"*\"}");
            return null;
        }

        var channel = Required(match.Value, "channel", matchPath, context);
        var accountId = Optional(match.Value, "accountId", matchPath, context);
        var peerPath = ConfigContext.Join(matchPath, "peer");
        BindingPeer? peer = null;
        if (context.Object(ConfigContext.Property(match.Value, "peer"), peerPath) is { } peerObj)
        {
            var kind = Required(peerObj, "kind", peerPath, context);
            var id = Required(peerObj, "id", peerPath, context);
            peer = kind is null || id is null ? null : new BindingPeer(kind.ToLowerInvariant(), id);
        }

        return agentId is null || channel is null
            ? null
            : new AgentBinding(
                agentId.ToLowerInvariant(),
                new BindingMatch(channel.ToLowerInvariant(), accountId is null or "*" ? accountId : accountId.ToLowerInvariant(), peer));
    }

    private static string? Required(JsonElement obj, string key, string path, ConfigContext context)
    {
        var value = Optional(obj, key, path, context);
        if (value is null)
        {
            context.Error(ConfigContext.Join(path, key), $"missing \"{key}\"; every binding entry needs a non-empty {key}");
        }

        return value;
    }

    private static string? Optional(JsonElement obj, string key, string path, ConfigContext context) =>
        ConfigContext.Property(obj, key) is { } value && context.String(value, ConfigContext.Join(path, key)) is { } text
            && !string.IsNullOrWhiteSpace(text)
            ? text.Trim()
            : null;
}
