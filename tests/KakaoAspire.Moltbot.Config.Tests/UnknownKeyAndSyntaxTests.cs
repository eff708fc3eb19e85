namespace KakaoAspire.Moltbot.Config.Tests;

public class UnknownKeyAndSyntaxTests
{
    [Fact]
    public void UnknownAccountKeySuggestsTheNearestValidKey()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"webhookPth\": \"/x\""));

        var error = TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.webhookPth");
        Assert.Contains("did you mean \"webhookPath\"?", error.Message);
    }

    [Fact]
    public void UnknownBaseKeySuggestsTheNearestValidKey()
    {
        var exception = TestConfig.Fails("""{ "channels": { "kakao": { "defaultAcount": "default" } } }""");

        Assert.Contains("did you mean \"defaultAccount\"?", TestConfig.ErrorAt(exception, "channels.kakao.defaultAcount").Message);
    }

    [Fact]
    public void UnknownOutboundKeySuggestsTheNearestValidKey()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"outbound\": { \"nightWindw\": null }"));

        Assert.Contains("did you mean \"nightWindow\"?", TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.outbound.nightWindw").Message);
    }

    [Fact]
    public void UnknownMoltbotGatewayKeySuggestsTheNearestValidKey()
    {
        var exception = TestConfig.Fails("""{ "channels": { "kakao": { "moltbotGateway": { "tokn": "x" } } } }""");

        Assert.Contains("did you mean \"token\"?", TestConfig.ErrorAt(exception, "channels.kakao.moltbotGateway.tokn").Message);
    }

    [Fact]
    public void ChannelOnlyKeyInsideAnAccountIsUnknown()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"defaultAccount\": \"default\""));

        Assert.Contains("unknown key", TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.defaultAccount").Message);
    }

    [Fact]
    public void A_missing_comma_fails_with_the_line_and_column_in_the_file_as_written()
    {
        const string json5 = "{\n  channels: {\n    kakao: {} // ours\n    'session': {}\n  }\n}";

        var exception = Assert.Throws<MoltbotConfigException>(() => MoltbotConfigLoader.Parse(json5, "/home/u/.moltbot.json", TestConfig.Env()));

        Assert.Contains("/home/u/.moltbot.json", exception.Message);
        Assert.Contains("line 4, column 5", exception.Message);
        Assert.Contains("expected ',' or '}' after the value of \"kakao\"", exception.Message);
        Assert.Contains("JSON5", exception.Message);
    }

    [Fact]
    public void An_unquoted_text_value_fails_and_says_to_quote_it()
    {
        var exception = TestConfig.Fails("{ session: { dmScope: main } }");

        Assert.Contains("line 1, column 23", exception.Message);
        Assert.Contains("put text in quotes, e.g. \"main\"", exception.Message);
    }

    [Fact]
    public void CommentsAndTrailingCommasAreAccepted()
    {
        var config = TestConfig.Parse("""
            {
              // ours
              "channels": { "kakao": { "accounts": { "default": { "webhookPort": 8790, }, }, }, },
              /* Moltbot's */
              "session": { "dmScope": "per-peer", },
            }
            """);

        Assert.Equal(8790, config.Kakao.Accounts[0].WebhookPort);
        Assert.Equal("per-peer", config.Session.DmScope);
    }
}
