namespace KakaoAspire.Moltbot.Config.Tests;

public class AccountMergingTests
{
    [Fact]
    public void BaseFieldsApplyToEveryAccountAndAccountFieldsOverrideThem()
    {
        var config = TestConfig.Parse("""
            { "channels": { "kakao": {
                "dmPolicy": "pairing", "timeoutSeconds": 60,
                "outbound": { "eventName": "base_event", "dailyCap": 10 },
                "accounts": {
                  "shop": { "webhookPath": "/kakao/shop", "timeoutSeconds": 20, "outbound": { "dailyCap": 99 } },
                  "support": { "webhookPath": "/kakao/support" }
                }
            } } }
            """);

        var shop = config.Kakao.FindAccount("shop")!;
        var support = config.Kakao.FindAccount("support")!;
        Assert.Equal((DmPolicy.Pairing, 20), (shop.DmPolicy, shop.TimeoutSeconds));
        Assert.Equal((DmPolicy.Pairing, 60), (support.DmPolicy, support.TimeoutSeconds));
        Assert.Equal(("base_event", 99), (shop.Outbound.EventName, shop.Outbound.DailyCap));
        Assert.Equal(10, support.Outbound.DailyCap);
    }

    [Fact]
    public void NoAccountsMapMakesOneDefaultAccountFromTheBase()
    {
        var config = TestConfig.Parse("""{ "channels": { "kakao": { "webhookPort": 9001, "name": "Base bot" } } }""");

        var account = Assert.Single(config.Kakao.Accounts);
        Assert.Equal(("default", 9001, "Base bot"), (account.Id, account.WebhookPort, account.Name));
        Assert.Equal("default", config.Kakao.DefaultAccount);
    }

    [Fact]
    public void BaseEnabledFalseDisablesEveryAccountEvenOnesThatSayTrue()
    {
        var config = TestConfig.Parse("""
            { "channels": { "kakao": { "enabled": false, "accounts": { "a": { "enabled": true }, "b": { "webhookPort": 9002 } } } } }
            """);

        Assert.All(config.Kakao.Accounts, a => Assert.False(a.Enabled));
        Assert.Empty(config.Kakao.EnabledAccounts);
    }

    [Fact]
    public void AccountEnabledFalseDisablesOnlyThatAccount()
    {
        var config = TestConfig.Parse("""
            { "channels": { "kakao": { "accounts": { "a": {}, "b": { "enabled": false } } } } }
            """);

        Assert.Equal(["a", "b"], config.Kakao.Accounts.Select(a => a.Id));
        Assert.Equal(["a"], config.Kakao.EnabledAccounts.Select(a => a.Id));
    }

    [Fact]
    public void AccountIdsAreTrimmedLowercasedSortedAndFoundCaseInsensitively()
    {
        var config = TestConfig.Parse("""
            { "channels": { "kakao": { "accounts": { " Zeta ": { "webhookPort": 9003 }, "Alpha": {} } } } }
            """);

        Assert.Equal(["alpha", "zeta"], config.Kakao.Accounts.Select(a => a.Id));
        Assert.Equal(9003, config.Kakao.FindAccount("ZETA")!.WebhookPort);
        Assert.Null(config.Kakao.FindAccount("missing"));
    }

    [Fact]
    public void DefaultAccountMustNameAnExistingAccount()
    {
        var exception = TestConfig.Fails("""
            { "channels": { "kakao": { "defaultAccount": "shop", "accounts": { "support": {} } } } }
            """);

        var message = TestConfig.ErrorAt(exception, "channels.kakao.defaultAccount").Message;
        Assert.Contains("\"support\"", message);
        Assert.Contains("channels.kakao.accounts.shop", message);
    }

    [Fact]
    public void DefaultAccountIsTheNamedOneElseDefaultElseTheFirst()
    {
        var named = TestConfig.Parse("""{ "channels": { "kakao": { "defaultAccount": "B", "accounts": { "a": {}, "b": { "webhookPort": 9004 } } } } }""");
        var first = TestConfig.Parse("""{ "channels": { "kakao": { "accounts": { "z": {}, "y": { "webhookPort": 9004 } } } } }""");

        Assert.Equal("b", named.Kakao.DefaultAccount);
        Assert.Equal("y", first.Kakao.DefaultAccount);
    }

    [Fact]
    public void KakaoAdminKeyAndChannelIdVariablesFillTheDefaultAccountWhenTheFileOmitsThem()
    {
        var config = TestConfig.Parse("""
            { "channels": { "kakao": { "accounts": { "default": {}, "other": { "webhookPort": 9005 } } } } }
            """, ("KAKAO_ADMIN_KEY", "admin-from-env"), ("KAKAO_CHANNEL_ID", "_channel"));

        var account = config.Kakao.FindAccount("default")!;
        Assert.Equal(("admin-from-env", "_channel"), (account.AdminKey, account.ChannelId));
        Assert.True(account.HasAdminKey);
        Assert.Null(config.Kakao.FindAccount("other")!.AdminKey);
    }

    [Fact]
    public void TheFileWinsOverKakaoAdminKeyVariable()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"adminKey\": \"from-file\""), ("KAKAO_ADMIN_KEY", "from-env"));

        Assert.Equal("from-file", config.Kakao.Accounts[0].AdminKey);
    }

    [Fact]
    public void MissingAdminKeyIsNotALoadError()
    {
        var account = TestConfig.Parse(TestConfig.Account("\"botId\": \"bot-1\"")).Kakao.Accounts[0];

        Assert.False(account.HasAdminKey);
        Assert.False(account.IsEventApiConfigured);
    }
}
