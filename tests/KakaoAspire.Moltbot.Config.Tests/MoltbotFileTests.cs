namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>Everything outside channels.kakao is Moltbot's: a real Moltbot file must load.</summary>
public class MoltbotFileTests
{
    private const string RealisticMoltbotFile = """
        // ~/.moltbot/moltbot.json, as Moltbot users write it
        {
          "gateway": { "port": 18790, "bind": "loopback", "auth": { "mode": "token", "token": "${MOLTBOT_GATEWAY_TOKEN}" } },
          "models": { "providers": { "anthropic": { "apiKey": "${ANTHROPIC_API_KEY}" } }, "mode": "merge" },
          "tools": { "profile": "coding", "deny": ["browser"], },
          "agents": {
            "defaults": { "model": { "primary": "anthropic/claude-opus-4" }, "workspace": "~/clawd", "sandbox": { "mode": "off" } },
            "list": [
              { "id": "home", "workspace": "~/clawd-home", "model": "anthropic/claude-sonnet-4", "identity": { "name": "Jun" } },
              { "id": "work", "default": true, "name": "Work", "systemPrompt": "Be brief.",
                "model": { "provider": "openai", "endpoint": "http://localhost:11434/v1", "name": "qwen3", "apiKey": "sk-local" },
                "tools": { "allow": ["read"] } },
              { "id": "relay", "model": { "provider": "moltbot", "agentId": "home" } },
              { "id": "fallbacks", "model": { "primary": "openai/gpt-5", "fallbacks": ["anthropic/claude-sonnet-4"] } },
              { "id": "plain" },
            ],
          },
          "channels": {
            "telegram": { "botToken": "${TELEGRAM_BOT_TOKEN}", "dmPolicy": "pairing", "streamMode": "partial", "whatever": 1 },
            "kakao": { "accounts": { "default": { "dmPolicy": "pairing" } } },
          },
          "bindings": [
            { "agentId": "home", "match": { "channel": "kakao", "accountId": "default", "peer": { "kind": "dm", "id": "U123" } } },
            { "agentId": "work", "match": { "channel": "telegram", "guildId": "g1" } },
          ],
          "routing": { "bindings": [ { "channel": "kakao", "agent": "work" } ], "groupChat": { "mentionPatterns": ["@bot"] } },
          "session": { "dmScope": "per-channel-peer", "reset": { "mode": "daily" } },
          "messages": { "inbound": { "debounceMs": 0 } },
          "logging": { "level": "info" },
        }
        """;

    private static MoltbotConfig Load() =>
        TestConfig.Parse(RealisticMoltbotFile, ("MOLTBOT_GATEWAY_TOKEN", "gw-secret-token"));

    [Fact]
    public void RealisticMoltbotFileWithSectionsWeDoNotOwnLoads()
    {
        var config = Load();

        Assert.Equal(18790, config.Gateway.Port);
        Assert.Equal("gw-secret-token", config.Gateway.AuthToken);
        Assert.Equal("ws://127.0.0.1:18790/", config.Kakao.MoltbotGateway.Url);
        Assert.Equal("per-channel-peer", config.Session.DmScope);
        Assert.Equal(DmPolicy.Pairing, config.Kakao.Accounts.Single().DmPolicy);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void AgentsAreReadWithTheMarkedDefault()
    {
        var config = Load();

        Assert.Equal(["home", "work", "relay", "fallbacks", "plain"], config.Agents.Select(a => a.Id));
        Assert.Equal("work", config.DefaultAgent.Id);
        Assert.Single(config.Agents, a => a.Default);
        Assert.Equal(("Work", "Be brief."), (config.DefaultAgent.Name, config.DefaultAgent.SystemPrompt));
    }

    [Fact]
    public void ModelStringMeansTheAgentRunsInTheMoltbotGatewayUnderItsOwnId()
    {
        var model = Load().FindAgent("home")!.Model;

        Assert.Equal(AgentModelProvider.Moltbot, model.Provider);
        Assert.Equal("moltbot", model.ProviderName);
        Assert.Equal("home", model.AgentId);
        Assert.Equal("anthropic/claude-sonnet-4", model.RawModel);
    }

    [Fact]
    public void ModelObjectsSelectTheirProvider()
    {
        var config = Load();

        var openai = config.FindAgent("work")!.Model;
        Assert.Equal((AgentModelProvider.OpenAI, "http://localhost:11434/v1", "qwen3", "sk-local"), (openai.Provider, openai.Endpoint, openai.Name, openai.ApiKey));
        Assert.Equal((AgentModelProvider.Moltbot, "home"), (config.FindAgent("relay")!.Model.Provider, config.FindAgent("relay")!.Model.AgentId));
        Assert.Equal((AgentModelProvider.Moltbot, "openai/gpt-5"), (config.FindAgent("fallbacks")!.Model.Provider, config.FindAgent("fallbacks")!.Model.RawModel));
        Assert.Equal(AgentModelProvider.Builtin, config.FindAgent("plain")!.Model.Provider);
    }

    [Fact]
    public void TopLevelBindingsComeFirstAndLegacyRoutingBindingsMatchAnyAccount()
    {
        var bindings = Load().Bindings;

        Assert.Equal(3, bindings.Count);
        Assert.Equal(new AgentBinding("home", new BindingMatch("kakao", "default", new BindingPeer("dm", "U123"))), bindings[0]);
        Assert.Equal("telegram", bindings[1].Match.Channel);
        Assert.Equal(new AgentBinding("work", new BindingMatch("kakao", "*")), bindings[2]);
    }

    [Fact]
    public void NoAgentsListMeansTheBuiltinMainAgent()
    {
        var config = TestConfig.Parse("""{ "agents": { "defaults": { "model": "anthropic/claude-opus-4" } } }""");

        var agent = Assert.Single(config.Agents);
        Assert.Equal(("main", true, AgentModelProvider.Builtin), (agent.Id, agent.Default, agent.Model.Provider));
        Assert.Same(agent, config.DefaultAgent);
    }

    [Fact]
    public void EmptyAgentsListMeansTheBuiltinMainAgent()
    {
        var config = TestConfig.Parse("""{ "agents": { "list": [] } }""");

        Assert.Equal("main", Assert.Single(config.Agents).Id);
    }

    [Fact]
    public void OpenAIModelWithoutEndpointOrNameSaysWhatIsMissing()
    {
        var exception = TestConfig.Fails("""{ "agents": { "list": [ { "id": "x", "model": { "provider": "openai" } } ] } }""");

        Assert.Contains("https://api.openai.com/v1", TestConfig.ErrorAt(exception, "agents.list[0].model.endpoint").Message);
        Assert.Contains("model name", TestConfig.ErrorAt(exception, "agents.list[0].model.name").Message);
    }
}
