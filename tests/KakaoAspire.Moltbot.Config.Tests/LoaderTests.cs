using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Moltbot.Config.Tests;

public class LoaderTests
{
    [Fact]
    public void NoConfigFileGivesOneDefaultAccountAndAWarningNamingThePathsSearched()
    {
        using var home = new TempHome();

        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions { HomeDirectory = home.Path, Environment = TestConfig.Env() });

        Assert.Null(config.SourcePath);
        var account = Assert.Single(config.Kakao.Accounts);
        Assert.Equal(("default", 8788, "/kakao/webhook"), (account.Id, account.WebhookPort, account.WebhookPath));
        var warning = Assert.Single(config.Warnings);
        Assert.Contains("No config file found", warning);
        Assert.Contains(Path.Combine(home.Path, ".moltbot.json"), warning);
        Assert.Contains(Path.Combine(home.Path, ".moltbot", "moltbot.json"), warning);
        Assert.Equal("main", config.DefaultAgent.Id);
    }

    [Fact]
    public void ConfigPathVariablePointingAtAMissingFileFailsAndSaysSo()
    {
        using var home = new TempHome();
        var missing = Path.Combine(home.Path, "nope.json");
        var options = new MoltbotConfigLoadOptions
        {
            HomeDirectory = home.Path,
            Environment = TestConfig.Env(("MOLTBOT_CONFIG_PATH", missing)),
        };

        var exception = Assert.Throws<MoltbotConfigException>(() => MoltbotConfigLoader.Load(options));

        Assert.Contains(missing, exception.Message);
        Assert.Contains("MOLTBOT_CONFIG_PATH", exception.Message);
    }

    [Fact]
    public void LoadReadsTheResolvedFileAndRecordsItsPath()
    {
        using var home = new TempHome();
        var path = home.Write(".moltbot.json", TestConfig.Account("\"webhookPort\": 9000"));

        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions { HomeDirectory = home.Path, Environment = TestConfig.Env() });

        Assert.Equal(path, config.SourcePath);
        Assert.Equal(9000, config.Kakao.Accounts[0].WebhookPort);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void EveryErrorIsReportedNotJustTheFirst()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"webhookPort\": 0, \"textChunkLimit\": 5000, \"chunkMode\": \"words\""));

        Assert.Equal(3, exception.Errors.Count);
        foreach (var error in exception.Errors)
        {
            Assert.Contains($"{error.Path}: {error.Message}", exception.Message);
        }
    }

    [Fact]
    public void EmptyObjectGivesTheDocumentedDefaults()
    {
        var config = TestConfig.Parse("{}");
        var account = config.Kakao.Accounts.Single();

        Assert.Equal(18789, config.Gateway.Port);
        Assert.Null(config.Gateway.AuthToken);
        Assert.Equal("ws://127.0.0.1:18789/", config.Kakao.MoltbotGateway.Url);
        Assert.Null(config.Kakao.MoltbotGateway.Token);
        Assert.Equal(120, config.Kakao.ApiRateLimitPerMinute);
        Assert.Equal("per-account-channel-peer", config.Session.DmScope);
        Assert.Equal(DmPolicy.Open, account.DmPolicy);
        Assert.Equal("이 채널에서는 지금 대화를 받을 수 없어요.", account.DeniedText);
        Assert.False(string.IsNullOrWhiteSpace(account.EmptyReplyText));
        Assert.Equal((1000, ChunkMode.Length, 30, 4000, 3), (account.TextChunkLimit, account.ChunkMode, account.TimeoutSeconds, account.ReplyDeadlineMs, account.DedupeWindowSeconds));
        Assert.Equal(["bot-api.kakao.com:443"], account.CallbackAllowedHosts);
        Assert.Equal("X-Moltbot-Webhook-Secret", account.WebhookSecretHeader);
        Assert.Equal(PhoneProvider.FriendtalkCompat, account.Outbound.PhoneProvider);
        Assert.Equal("moltbot_push", account.Outbound.EventName);
        Assert.Equal(new TimeOnly(20, 50), account.Outbound.NightWindow!.Start);
        Assert.Equal(new TimeOnly(8, 0), account.Outbound.NightWindow.End);
        Assert.Equal(1000, account.Outbound.DailyCap);
        Assert.False(account.HasAdminKey);
        Assert.False(account.IsNhnOutboundConfigured);
    }

    [Fact]
    public void MoltbotGatewayUrlFollowsGatewayPort()
    {
        var config = TestConfig.Parse("""{ "gateway": { "port": 19000 } }""");

        Assert.Equal("ws://127.0.0.1:19000/", config.Kakao.MoltbotGateway.Url);
    }
}
