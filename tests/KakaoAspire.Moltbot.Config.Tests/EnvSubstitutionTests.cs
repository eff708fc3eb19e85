namespace KakaoAspire.Moltbot.Config.Tests;

public class EnvSubstitutionTests
{
    [Fact]
    public void UpperCaseVariableIsSubstitutedInsideAString()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"name\": \"Bot ${BOT_SUFFIX}!\""), ("BOT_SUFFIX", "Seoul"));

        Assert.Equal("Bot Seoul!", config.Kakao.Accounts[0].Name);
    }

    [Fact]
    public void DoubleDollarEscapesToALiteralReference()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"deniedText\": \"cost $${PRICE}\""), ("PRICE", "10"));

        Assert.Equal("cost ${PRICE}", config.Kakao.Accounts[0].DeniedText);
    }

    [Fact]
    public void LowerCaseNamesAreLeftLiteral()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"deniedText\": \"hi ${name}\""));

        Assert.Equal("hi ${name}", config.Kakao.Accounts[0].DeniedText);
    }

    [Fact]
    public void MissingVariableFailsWithItsJsonPath()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"toastSecretKey\": \"${TOAST_SECRET_KEY}\""));

        var error = TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.toastSecretKey");
        Assert.Equal(
            "Missing env var \"TOAST_SECRET_KEY\" referenced at config path: channels.kakao.accounts.default.toastSecretKey",
            error.Message);
    }

    [Fact]
    public void EmptyVariableFailsLikeAMissingOne()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"adminKey\": \"${KAKAO_ADMIN_KEY}\""), ("KAKAO_ADMIN_KEY", ""));

        Assert.Contains("Missing env var \"KAKAO_ADMIN_KEY\"", TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.adminKey").Message);
    }

    [Fact]
    public void VariablesAreSubstitutedInMoltbotKeysWeRead()
    {
        var config = TestConfig.Parse("""{ "gateway": { "auth": { "token": "${MOLTBOT_GATEWAY_TOKEN}" } } }""", ("MOLTBOT_GATEWAY_TOKEN", "tok-123"));

        Assert.Equal("tok-123", config.Gateway.AuthToken);
    }

    [Fact]
    public void UnsetVariableInASectionWeIgnoreDoesNotFailTheLoad()
    {
        var config = TestConfig.Parse("""{ "models": { "providers": { "openai": { "apiKey": "${OPENAI_API_KEY}" } } } }""");

        Assert.Single(config.Kakao.Accounts);
    }

    [Fact]
    public void NumericKeysAcceptASubstitutedInteger()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"webhookPort\": \"${KAKAO_PORT}\""), ("KAKAO_PORT", "9100"));

        Assert.Equal(9100, config.Kakao.Accounts[0].WebhookPort);
    }
}
