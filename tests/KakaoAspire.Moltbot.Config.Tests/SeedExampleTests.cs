namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>The user's guide is the contract: its four config blocks load unchanged.</summary>
public class SeedExampleTests
{
    [Fact]
    public void QuickStartLoadsWithTheEnvironmentKeysOfItsFirstStep()
    {
        var config = TestConfig.Parse(TestConfig.Fixture("config-seed-quickstart.json"),
            ("KAKAO_ADMIN_KEY", "rest-key"), ("KAKAO_CHANNEL_ID", "_xYz"));

        var account = Assert.Single(config.Kakao.EnabledAccounts);
        Assert.Equal((8788, "/kakao/webhook", DmPolicy.Open), (account.WebhookPort, account.WebhookPath, account.DmPolicy));
        Assert.Equal(("rest-key", "_xYz"), (account.AdminKey, account.ChannelId));
    }

    [Fact]
    public void AllOptionsExampleLoadsEveryField()
    {
        var account = TestConfig.Parse(TestConfig.Fixture("config-seed-all-options.json")).Kakao.Accounts.Single();

        Assert.Equal("My Kakao Bot", account.Name);
        Assert.Equal(("javascript-key", "rest-api-key", "kakao-channel-id"), (account.AppKey, account.AdminKey, account.ChannelId));
        Assert.True(account.IsNhnOutboundConfigured);
        Assert.Equal(["user-id-1", "user-id-2"], account.AllowFrom);
        Assert.Equal((1000, 30), (account.TextChunkLimit, account.TimeoutSeconds));
    }

    [Fact]
    public void FriendTalkOnlyExampleLoadsWithWebhookDefaults()
    {
        var account = TestConfig.Parse(TestConfig.Fixture("config-seed-friendtalk-only.json")).Kakao.Accounts.Single();

        Assert.True(account.Enabled);
        Assert.True(account.IsNhnOutboundConfigured);
        Assert.Equal((8788, "/kakao/webhook"), (account.WebhookPort, account.WebhookPath));
    }

    [Fact]
    public void CompleteExampleLoadsWithItsVariablesAndLegacyRouting()
    {
        var config = TestConfig.Parse(TestConfig.Fixture("config-seed-complete.json"),
            ("KAKAO_ADMIN_KEY", "a"), ("KAKAO_CHANNEL_ID", "c"), ("KAKAO_SENDER_KEY", "s"),
            ("TOAST_APP_KEY", "t"), ("TOAST_SECRET_KEY", "ts"));

        var account = config.Kakao.Accounts.Single();
        Assert.Equal(("Lawith Assistant", "a", "c", "s", "t", "ts"),
            (account.Name, account.AdminKey, account.ChannelId, account.SenderKey, account.ToastAppKey, account.ToastSecretKey));
        var binding = Assert.Single(config.Bindings);
        Assert.Equal(new AgentBinding("lawith-assistant", new BindingMatch("kakao", "*")), binding);
        // The guide's example never lists that agent: it is the user's own agent in the OpenClaw gateway.
        Assert.Contains(config.Warnings, w => w.Contains("lawith-assistant"));
    }

    [Fact]
    public void CompleteExampleWithoutItsVariablesNamesEachMissingOne()
    {
        var exception = Assert.Throws<MoltbotConfigException>(() =>
            TestConfig.Parse(TestConfig.Fixture("config-seed-complete.json")));

        Assert.Equal(5, exception.Errors.Count);
        Assert.Contains("Missing env var \"TOAST_SECRET_KEY\" referenced at config path: channels.kakao.accounts.default.toastSecretKey", exception.Message);
    }
}
