using System.Text.Json;

namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>
/// <c>agents.list[]</c> (Moltbot's) and <c>agents.entries.&lt;id&gt;</c> (OpenClaw's): we read id, name, default,
/// systemPrompt and model, and ignore the rest (workspace, tools, sandbox, …) so a real Moltbot or OpenClaw file loads.
/// </summary>
internal static class AgentsParser
{
    private static readonly string ValidProviders =
        string.Join(", ", ConfigValueNames.ModelProviders.Keys.Select(name => $"\"{name}\""));

    public static IReadOnlyList<AgentConfig> Parse(JsonElement? agentsSection, ConfigContext context)
    {
        var agents = context.Object(agentsSection, "agents");
        var parsed = new List<(AgentConfig Agent, string Path)>();
        ReadList(ConfigContext.Property(agents, "list"), parsed, context);
        ReadEntries(ConfigContext.Property(agents, "entries"), parsed, context);
        if (parsed.Count == 0)
        {
            return [AgentConfig.BuiltinMain()];
        }

        CheckUniqueIds(parsed, context);
        return MarkDefault(parsed, context);
    }

    private static void ReadList(JsonElement? list, List<(AgentConfig Agent, string Path)> into, ConfigContext context)
    {
        if (list is not { ValueKind: JsonValueKind.Array } array)
        {
            if (list is { ValueKind: not JsonValueKind.Null } other)
            {
                context.TypeError("agents.list", "an array", other);
            }

            return;
        }

        var index = 0;
        foreach (var entry in array.EnumerateArray())
        {
            var path = $"agents.list[{index++}]";
            if (context.Object(entry, path) is { } obj
                && ParseAgent(obj, IdOf(obj, path, context), path, AgentModel.Builtin, context) is { } agent)
            {
                into.Add((agent, path));
            }
            else if (entry.ValueKind == JsonValueKind.Null)
            {
                context.TypeError(path, "an object", entry);
            }
        }
    }

    /// <summary>
    /// OpenClaw's keyed form <c>agents.entries.&lt;id&gt;</c> (its <c>agents.list</c> is legacy). These are the user's
    /// OpenClaw agents, so an entry without a model runs in the gateway under its id (OpenClaw's default model).
    /// </summary>
    private static void ReadEntries(JsonElement? entries, List<(AgentConfig Agent, string Path)> into, ConfigContext context)
    {
        if (context.Object(entries, "agents.entries") is not { } obj)
        {
            return;
        }

        foreach (var property in obj.EnumerateObject())
        {
            var path = ConfigContext.Join("agents.entries", property.Name);
            var id = property.Name.Trim().ToLowerInvariant();
            if (id.Length == 0)
            {
                context.Error(path, "every agent needs a non-empty id; use a key such as \"main\"");
                continue;
            }
            if (context.Object(property.Value, path) is { } entry
                && ParseAgent(entry, id, path, new AgentModel { Provider = AgentModelProvider.Moltbot, AgentId = id }, context) is { } agent)
            {
                into.Add((agent, path));
            }
            else if (property.Value.ValueKind == JsonValueKind.Null)
            {
                context.TypeError(path, "an object", property.Value);
            }
        }
    }

    private static string? IdOf(JsonElement obj, string path, ConfigContext context)
    {
        var idPath = ConfigContext.Join(path, "id");
        var id = ConfigContext.Property(obj, "id") is { } idValue ? context.String(idValue, idPath)?.Trim().ToLowerInvariant() : null;
        if (string.IsNullOrEmpty(id))
        {
            context.Error(idPath, "every agent needs a non-empty id; add one such as \"main\"");
            return null;
        }

        return id;
    }

    private static AgentConfig? ParseAgent(JsonElement obj, string? id, string path, AgentModel withoutModel, ConfigContext context)
    {
        if (id is null)
        {
            return null;
        }

        var modelPath = ConfigContext.Join(path, "model");
        var modelValue = ConfigContext.Property(obj, "model");
        return new AgentConfig
        {
            Id = id,
            Name = Text(obj, "name", path, context),
            Default = ConfigContext.Property(obj, "default") is { } d && context.Bool(d, ConfigContext.Join(path, "default")) == true,
            SystemPrompt = Text(obj, "systemPrompt", path, context),
            Model = modelValue is null or { ValueKind: JsonValueKind.Null } ? withoutModel : ParseModel(modelValue, id, modelPath, context),
        };
    }

    private static AgentModel ParseModel(JsonElement? value, string agentId, string path, ConfigContext context)
    {
        switch (value?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return AgentModel.Builtin;
            case JsonValueKind.String:
                // Moltbot's own form: the agent runs in the user's Moltbot gateway under the same id.
                var raw = context.String(value.Value, path);
                return new AgentModel { Provider = AgentModelProvider.Moltbot, AgentId = agentId, RawModel = raw };
            case JsonValueKind.Object:
                return ParseModelObject(value.Value, agentId, path, context);
            default:
                context.TypeError(path, "a model string or an object with \"provider\"", value.Value);
                return AgentModel.Builtin;
        }
    }

    private static AgentModel ParseModelObject(JsonElement obj, string agentId, string path, ConfigContext context)
    {
        var providerText = Text(obj, "provider", path, context);
        if (providerText is null)
        {
            // Moltbot's object form {primary, fallbacks} is still a Moltbot gateway agent.
            var primary = Text(obj, "primary", path, context);
            return primary is null
                ? AgentModel.Builtin
                : new AgentModel { Provider = AgentModelProvider.Moltbot, AgentId = agentId, RawModel = primary };
        }

        if (!ConfigValueNames.ModelProviders.TryGetValue(providerText.ToLowerInvariant(), out var provider))
        {
            context.Error(ConfigContext.Join(path, "provider"),
                $"unknown provider \"{providerText}\"; use one of {ValidProviders}, or a model string such as \"anthropic/claude-sonnet-4\" for an agent of your Moltbot gateway");
            return AgentModel.Builtin;
        }

        return provider switch
        {
            AgentModelProvider.OpenAI => OpenAIModel(obj, path, context),
            AgentModelProvider.Moltbot => new AgentModel
            {
                Provider = AgentModelProvider.Moltbot,
                AgentId = Text(obj, "agentId", path, context) ?? agentId,
            },
            _ => AgentModel.Builtin,
        };
    }

    private static AgentModel OpenAIModel(JsonElement obj, string path, ConfigContext context)
    {
        var endpoint = Text(obj, "endpoint", path, context);
        var name = Text(obj, "name", path, context);
        if (endpoint is null
            || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            context.Error(ConfigContext.Join(path, "endpoint"),
                "provider \"openai\" needs an absolute http(s) endpoint such as \"https://api.openai.com/v1\"");
        }

        if (name is null)
        {
            context.Error(ConfigContext.Join(path, "name"), "provider \"openai\" needs the model name, such as \"gpt-4o-mini\"");
        }

        return new AgentModel
        {
            Provider = AgentModelProvider.OpenAI,
            Endpoint = endpoint,
            Name = name,
            ApiKey = Text(obj, "apiKey", path, context),
        };
    }

    private static string? Text(JsonElement obj, string key, string path, ConfigContext context) =>
        ConfigContext.Property(obj, key) is { } value && context.String(value, ConfigContext.Join(path, key)) is { } text
            && !string.IsNullOrWhiteSpace(text)
            ? text.Trim()
            : null;

    private static void CheckUniqueIds(List<(AgentConfig Agent, string Path)> agents, ConfigContext context)
    {
        var seen = new Dictionary<string, string>();
        foreach (var (agent, path) in agents)
        {
            if (!seen.TryAdd(agent.Id, path))
            {
                context.Error(ConfigContext.Join(path, "id"),
                    $"agent id \"{agent.Id}\" is already used by {seen[agent.Id]}; give each agent its own id");
            }
        }
    }

    // Moltbot's rule: the first agent marked default, else the first agent.
    private static IReadOnlyList<AgentConfig> MarkDefault(List<(AgentConfig Agent, string Path)> agents, ConfigContext context)
    {
        var marked = agents.Where(a => a.Agent.Default).ToList();
        if (marked.Count > 1)
        {
            context.Warnings.Add(
                $"agents: {marked.Count} agents are marked \"default\" ({string.Join(", ", marked.Select(m => m.Agent.Id))}); \"{marked[0].Agent.Id}\" is used");
        }

        var chosen = marked.Count > 0 ? marked[0].Agent : agents[0].Agent;
        return agents.Select(a => a.Agent with { Default = ReferenceEquals(a.Agent, chosen) }).ToList();
    }
}
