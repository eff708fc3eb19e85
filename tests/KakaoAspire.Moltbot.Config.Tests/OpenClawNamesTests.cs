namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>OpenClaw (Moltbot's new name) keeps its config under other names; a user of either finds their file.</summary>
public class OpenClawNamesTests
{
    private static MoltbotConfig Load(TempHome home, params (string Name, string Value)[] env) =>
        MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions { Environment = TestConfig.Env(env), HomeDirectory = home.Path });

    [Fact]
    public void OpenClawConfigPathIsReadWhenMoltbotConfigPathIsNotSet()
    {
        using var home = new TempHome();
        home.Write(".moltbot.json", """{ "gateway": { "port": 1 } }""");
        var openClaw = home.Write(Path.Combine("elsewhere", "openclaw.json"), """{ "gateway": { "port": 18800 } }""");

        var config = Load(home, ("OPENCLAW_CONFIG_PATH", openClaw));

        Assert.Equal((openClaw, 18800), (config.SourcePath, config.Gateway.Port));
    }

    [Fact]
    public void MoltbotConfigPathWinsOverOpenClawConfigPath()
    {
        using var home = new TempHome();
        var moltbot = home.Write("m.json", "{}");
        var openClaw = home.Write("o.json", "{}");

        Assert.Equal(moltbot, Load(home, ("MOLTBOT_CONFIG_PATH", moltbot), ("OPENCLAW_CONFIG_PATH", openClaw)).SourcePath);
    }

    [Fact]
    public void MissingFileNamedByOpenClawConfigPathIsAnErrorNamingThatVariable()
    {
        using var home = new TempHome();

        var error = Assert.Throws<MoltbotConfigException>(() => Load(home, ("OPENCLAW_CONFIG_PATH", "/nowhere/openclaw.json")));

        Assert.Contains("OPENCLAW_CONFIG_PATH points to this file", error.Message);
    }

    [Fact]
    public void HomeOpenClawFileIsFoundAfterTheMoltbotOnes()
    {
        using var home = new TempHome();
        var openClaw = home.Write(Path.Combine(".openclaw", "openclaw.json"), "{}");

        Assert.Equal(openClaw, Load(home).SourcePath);

        var moltbot = home.Write(Path.Combine(".moltbot", "moltbot.json"), "{}");
        Assert.Equal(moltbot, Load(home).SourcePath);
    }

    [Fact]
    public void NoFileAnywhereSaysWhereItLooked()
    {
        using var home = new TempHome();

        var warning = Assert.Single(Load(home).Warnings);

        Assert.Contains("OPENCLAW_CONFIG_PATH", warning);
        Assert.Contains(Path.Combine(".openclaw", "openclaw.json"), warning);
    }

    [Fact]
    public void OpenClawGatewayTokenFillsAMissingGatewayAuthToken()
    {
        var config = TestConfig.Parse("{}", ("OPENCLAW_GATEWAY_TOKEN", "oc-token"));

        Assert.Equal("oc-token", config.Gateway.AuthToken);
        Assert.Equal("oc-token", config.Kakao.MoltbotGateway.EffectiveToken(config.Gateway));
    }

    [Fact]
    public void GatewayAuthTokenInTheFileWinsOverOpenClawGatewayToken()
    {
        var config = TestConfig.Parse("""{ "gateway": { "auth": { "token": "from-file" } } }""", ("OPENCLAW_GATEWAY_TOKEN", "oc-token"));

        Assert.Equal("from-file", config.Gateway.AuthToken);
    }

    [Fact]
    public void KeyedAgentEntriesAreAgentsOfTheGatewayUnlessTheySayOtherwise()
    {
        var config = TestConfig.Parse("""
            {
              "agents": {
                "defaults": { "model": { "primary": "anthropic/claude-opus-4-6" } },
                "entries": {
                  "My-Assistant": { "name": "Samantha", "workspace": "~/.openclaw/workspace" },
                  "coder": { "model": "openai/gpt-5.4" },
                  "local": { "model": { "provider": "openai", "endpoint": "http://localhost:11434/v1", "name": "qwen3" } }
                }
              }
            }
            """);

        Assert.Equal(["my-assistant", "coder", "local"], config.Agents.Select(a => a.Id));
        Assert.Equal(("Samantha", AgentModelProvider.Moltbot, "my-assistant"),
            (config.Agents[0].Name, config.Agents[0].Model.Provider, config.Agents[0].Model.AgentId));
        Assert.Equal((AgentModelProvider.Moltbot, "coder"), (config.Agents[1].Model.Provider, config.Agents[1].Model.AgentId));
        Assert.Equal(AgentModelProvider.OpenAI, config.Agents[2].Model.Provider);
        Assert.Equal("my-assistant", config.DefaultAgent.Id);
    }

    [Fact]
    public void AgentsListAndEntriesAreReadTogetherAndAnIdInBothIsAnError()
    {
        var both = TestConfig.Parse("""
            { "agents": { "list": [ { "id": "main", "default": true } ], "entries": { "helper": {} } } }
            """);
        Assert.Equal(["main", "helper"], both.Agents.Select(a => a.Id));
        Assert.Equal("main", both.DefaultAgent.Id);

        var twice = TestConfig.Fails("""
            { "agents": { "list": [ { "id": "main" } ], "entries": { "main": {} } } }
            """);
        Assert.Contains("already used by agents.list[0]", TestConfig.ErrorAt(twice, "agents.entries.main.id").Message);
    }

    [Fact]
    public void AgentEntryThatIsNotAnObjectNamesItsPath()
    {
        var error = TestConfig.Fails("""{ "agents": { "entries": { "main": 3 } } }""");

        Assert.Contains(error.Errors, e => e.Path == "agents.entries.main");
    }

    [Theory]
    [InlineData(".moltbot.json", ".moltbot")]
    [InlineData(".moltbot/moltbot.json", ".moltbot")]
    [InlineData(".openclaw/openclaw.json", ".openclaw")]
    public void StateFolderIsTheOneBesideTheFileThatWasRead(string file, string state)
    {
        using var home = new TempHome();
        var path = home.Write(file, "{}");

        Assert.Equal(Path.Combine(home.Path, state), MoltbotPaths.StateDirectory(TestConfig.Env(), home.Path, path));
    }

    [Fact]
    public void OpenClawConfigPathKeepsStateInOpenClawsFolderAndStateVariablesWin()
    {
        using var home = new TempHome();
        var env = TestConfig.Env(("OPENCLAW_CONFIG_PATH", "/srv/oc/openclaw.json"));

        Assert.Equal(Path.Combine(home.Path, ".openclaw"), MoltbotPaths.StateDirectory(env, home.Path, "/srv/oc/openclaw.json"));
        Assert.Equal("/var/oc", MoltbotPaths.StateDirectory(
            TestConfig.Env(("OPENCLAW_STATE_DIR", "/var/oc")), home.Path, "/srv/oc/openclaw.json"));
        Assert.Equal("/var/m", MoltbotPaths.StateDirectory(
            TestConfig.Env(("OPENCLAW_STATE_DIR", "/var/oc"), ("MOLTBOT_STATE_DIR", "/var/m")), home.Path, null));
    }
}
