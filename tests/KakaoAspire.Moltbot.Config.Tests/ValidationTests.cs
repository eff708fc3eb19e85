namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>One test per validation rule: the error names the JSON path and says how to fix it.</summary>
public class ValidationTests
{
    private const string Default = "channels.kakao.accounts.default";

    private static string ErrorFor(string members, string key)
    {
        var exception = TestConfig.Fails(TestConfig.Account(members));
        Assert.Contains($"{Default}.{key}:", exception.Message);
        return TestConfig.ErrorAt(exception, $"{Default}.{key}").Message;
    }

    [Fact]
    public void WebhookPortOutsideOneTo65535IsRejected()
    {
        var message = ErrorFor("\"webhookPort\": 70000", "webhookPort");

        Assert.Contains("between 1 and 65535", message);
        Assert.Contains("8788", message);
    }

    [Theory]
    [InlineData("kakao/webhook")]
    [InlineData("/kakao/webhook?x=1")]
    [InlineData("/kakao web")]
    public void WebhookPathMustStartWithSlashAndHaveNoQueryOrWhitespace(string path)
    {
        var message = ErrorFor($"\"webhookPath\": \"{path}\"", "webhookPath");

        Assert.Contains("must start with \"/\"", message);
        Assert.Contains("\"/kakao/webhook\"", message);
    }

    [Fact]
    public void TwoEnabledAccountsOnTheSamePortAndPathAreRejectedNamingBoth()
    {
        var exception = TestConfig.Fails("""
            { "channels": { "kakao": { "accounts": {
                "alpha": { "webhookPort": 8788 },
                "beta": { "webhookPort": 8788 }
            } } } }
            """);

        var error = Assert.Single(exception.Errors);
        Assert.StartsWith("channels.kakao.accounts.beta", error.Path);
        Assert.Contains("\"alpha\"", error.Message);
        Assert.Contains("\"beta\"", error.Message);
        Assert.Contains("own webhookPort or webhookPath", error.Message);
    }

    [Fact]
    public void ADisabledAccountMayShareAnotherAccountsWebhook()
    {
        var config = TestConfig.Parse("""
            { "channels": { "kakao": { "accounts": { "alpha": {}, "beta": { "enabled": false } } } } }
            """);

        Assert.Equal(["alpha"], config.Kakao.EnabledAccounts.Select(a => a.Id));
    }

    [Fact]
    public void AllowlistWithEmptyAllowFromTellsToAddIdsOrUseOpenOrPairing()
    {
        var message = ErrorFor("\"dmPolicy\": \"allowlist\"", "dmPolicy");

        Assert.Contains($"{Default}.allowFrom", message);
        Assert.Contains("\"open\"", message);
        Assert.Contains("\"pairing\"", message);
    }

    [Fact]
    public void OpenPolicyNeedsNoAllowFrom()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"dmPolicy\": \"open\""));

        Assert.Equal(DmPolicy.Open, config.Kakao.Accounts[0].DmPolicy);
        Assert.Empty(config.Kakao.Accounts[0].AllowFrom);
    }

    [Fact]
    public void TextChunkLimitAbove1000IsRejected()
    {
        var message = ErrorFor("\"textChunkLimit\": 4000", "textChunkLimit");

        Assert.Contains("between 1 and 1000", message);
        Assert.Contains("use 1000 or less", message);
    }

    [Fact]
    public void ChunkModeMustBeLengthOrNewline()
    {
        var message = ErrorFor("\"chunkMode\": \"sentence\"", "chunkMode");

        Assert.Contains("\"length\"", message);
        Assert.Contains("\"newline\"", message);
    }

    [Fact]
    public void DmPolicyMustBeAKnownValue()
    {
        var message = ErrorFor("\"dmPolicy\": \"everyone\"", "dmPolicy");

        Assert.Contains("\"open\", \"allowlist\", \"disabled\", \"pairing\"", message);
    }

    [Fact]
    public void TimeoutSecondsMustBeBetween1And600()
    {
        var message = ErrorFor("\"timeoutSeconds\": 0", "timeoutSeconds");

        Assert.Contains("between 1 and 600", message);
        Assert.Contains("30", message);
    }

    [Fact]
    public void ReplyDeadlineMustLeaveBeforeKakaosFiveSeconds()
    {
        var message = ErrorFor("\"replyDeadlineMs\": 5000", "replyDeadlineMs");

        Assert.Contains("between 500 and 4500", message);
        Assert.Contains("5 s", message);
        Assert.Contains("use 4000", message);
    }

    [Fact]
    public void DedupeWindowMustBeBetween0And3600()
    {
        var message = ErrorFor("\"dedupeWindowSeconds\": -1", "dedupeWindowSeconds");

        Assert.Contains("between 0 and 3600", message);
    }

    [Fact]
    public void ApiRateLimitMustBeAtLeastOne()
    {
        var exception = TestConfig.Fails("""{ "channels": { "kakao": { "apiRateLimitPerMinute": 0 } } }""");

        var message = TestConfig.ErrorAt(exception, "channels.kakao.apiRateLimitPerMinute").Message;
        Assert.Contains("1 or more", message);
        Assert.Contains("use 120", message);
    }

    [Fact]
    public void WebhookSecretHeaderMustBeAnHttpHeaderName()
    {
        var message = ErrorFor("\"webhookSecretHeader\": \"X Secret:\"", "webhookSecretHeader");

        Assert.Contains("valid HTTP header name", message);
        Assert.Contains("X-Moltbot-Webhook-Secret", message);
    }

    [Fact]
    public void CallbackAllowedHostsTakesHostNamesOrWildcardSuffixes()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"callbackAllowedHosts\": [\"*.kakao.com\", \"https://evil.example/x\"]"));

        var message = TestConfig.ErrorAt(exception, $"{Default}.callbackAllowedHosts[1]").Message;
        Assert.Contains("\"*.kakao.com\"", message);
        Assert.Contains("no scheme", message);
    }

    [Fact]
    public void OutboundUrlsMustBeAbsoluteHttp()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"outbound\": { \"nhnBaseUrl\": \"api-alimtalk.cloud.toast.com\" }"));

        var message = TestConfig.ErrorAt(exception, $"{Default}.outbound.nhnBaseUrl").Message;
        Assert.Contains("absolute http(s) URL", message);
        Assert.Contains("https://api-alimtalk.cloud.toast.com", message);
    }

    [Fact]
    public void NightWindowMustBeHoursAndMinutesOrNull()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"outbound\": { \"nightWindow\": \"9pm-8am\" }"));

        var message = TestConfig.ErrorAt(exception, $"{Default}.outbound.nightWindow").Message;
        Assert.Contains("\"HH:mm-HH:mm\"", message);
        Assert.Contains("null for no night window", message);
    }

    [Fact]
    public void ExplicitNullNightWindowMeansNone()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"outbound\": { \"nightWindow\": null }"));

        Assert.Null(config.Kakao.Accounts[0].Outbound.NightWindow);
    }

    [Fact]
    public void NightWindowCrossingMidnightContainsLateEveningAndEarlyMorning()
    {
        var window = TestConfig.Parse(TestConfig.Account("\"outbound\": { \"nightWindow\": \"21:00-08:00\" }")).Kakao.Accounts[0].Outbound.NightWindow!;

        Assert.Equal("21:00-08:00", window.Raw);
        Assert.True(window.Contains(new TimeOnly(23, 0)));
        Assert.True(window.Contains(new TimeOnly(7, 59)));
        Assert.False(window.Contains(new TimeOnly(12, 0)));
    }

    [Fact]
    public void DailyCapMustNotBeNegative()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"outbound\": { \"dailyCap\": -5 }"));

        Assert.Contains("0 or more", TestConfig.ErrorAt(exception, $"{Default}.outbound.dailyCap").Message);
    }

    [Fact]
    public void PhoneProviderMustBeAKnownValue()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"outbound\": { \"phoneProvider\": \"sms\" }"));

        var message = TestConfig.ErrorAt(exception, $"{Default}.outbound.phoneProvider").Message;
        Assert.Contains("\"friendtalk-compat\", \"brand-message\"", message);
    }

    [Fact]
    public void BrandMessageProviderIsRead()
    {
        var config = TestConfig.Parse(TestConfig.Account("\"outbound\": { \"phoneProvider\": \"brand-message\", \"isAd\": true }"));

        Assert.Equal(PhoneProvider.BrandMessage, config.Kakao.Accounts[0].Outbound.PhoneProvider);
        Assert.True(config.Kakao.Accounts[0].Outbound.IsAd);
    }

    [Fact]
    public void AgentIdsMustBeUnique()
    {
        var exception = TestConfig.Fails("""{ "agents": { "list": [ { "id": "main" }, { "id": "Main" } ] } }""");

        var message = TestConfig.ErrorAt(exception, "agents.list[1].id").Message;
        Assert.Contains("agents.list[0]", message);
        Assert.Contains("its own id", message);
    }

    [Fact]
    public void AgentIdsMustNotBeEmpty()
    {
        var exception = TestConfig.Fails("""{ "agents": { "list": [ { "id": " ", "name": "x" } ] } }""");

        Assert.Contains("non-empty id", TestConfig.ErrorAt(exception, "agents.list[0].id").Message);
    }

    [Fact]
    public void DmScopeMustBeAKnownScope()
    {
        var exception = TestConfig.Fails("""{ "session": { "dmScope": "per-user" } }""");

        var message = TestConfig.ErrorAt(exception, "session.dmScope").Message;
        Assert.Contains("\"per-account-channel-peer\"", message);
        Assert.Contains("\"main\"", message);
    }

    [Fact]
    public void BindingToAnUnlistedAgentSaysItGoesToTheGatewayAgentOfThatId()
    {
        var config = TestConfig.Parse("""
            { "bindings": [ { "agentId": "ghost", "match": { "channel": "kakao", "accountId": "*" } } ] }
            """);

        Assert.Contains(config.Warnings, w => w.Contains("\"ghost\"") && w.Contains("OpenClaw gateway's agent") && w.Contains("ws://127.0.0.1:18789/"));
    }

    [Fact]
    public void WrongTypeInsideChannelsKakaoNamesThePathAndTheExpectedType()
    {
        var message = ErrorFor("\"webhookPort\": \"eighty\"", "webhookPort");

        Assert.Contains("expected an integer", message);
    }

    [Fact]
    public void InvalidAccountIdIsRejected()
    {
        var exception = TestConfig.Fails("""{ "channels": { "kakao": { "accounts": { "my bot!": {} } } } }""");

        Assert.Contains("rename the key", TestConfig.ErrorAt(exception, "channels.kakao.accounts.my bot!").Message);
    }

    [Fact]
    public void UnknownModelProviderNamesThePathAndTheValidValues()
    {
        var exception = TestConfig.Fails("""{ "agents": { "list": [ { "id": "main", "model": { "provider": "gemini" } } ] } }""");

        var message = TestConfig.ErrorAt(exception, "agents.list[0].model.provider").Message;
        Assert.Contains("\"builtin\", \"openai\", \"moltbot\"", message);
    }

    [Fact]
    public void AllowUnauthenticatedWebhookTogetherWithAWebhookSecretIsRejectedNamingBoth()
    {
        var message = ErrorFor("\"webhookSecret\": \"s\", \"allowUnauthenticatedWebhook\": true", "allowUnauthenticatedWebhook");

        Assert.Contains($"{Default}.webhookSecret", message);
        Assert.Contains("remove", message);
    }

    [Theory]
    [InlineData("userRateLimitPerMinute", -1, "between 0 and 600")]
    [InlineData("userRateLimitPerMinute", 601, "between 0 and 600")]
    [InlineData("userRateLimitBurst", 0, "between 1 and 100")]
    public void UserRateLimitsOutsideTheirRangeAreRejected(string key, int value, string expected)
    {
        var message = ErrorFor($"\"{key}\": {value}", key);

        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("agentSendsPerTurn", -1, "between 0 and 20")]
    [InlineData("agentSendsPerTurn", 21, "between 0 and 20")]
    [InlineData("agentSendsPerUserPerDay", -1, "between 0 and 10000")]
    public void AgentSendLimitsOutsideTheirRangeAreRejected(string key, int value, string expected)
    {
        var exception = TestConfig.Fails(TestConfig.Account($"\"outbound\": {{ \"{key}\": {value} }}"));

        Assert.Contains(expected, TestConfig.ErrorAt(exception, $"{Default}.outbound.{key}").Message);
    }

    [Fact]
    public void TheNewLimitsHaveSensibleDefaultsAndCanBeSetPerAccountOrAsBaseValues()
    {
        var defaults = TestConfig.Parse("{}").Kakao.Accounts.Single();
        var set = TestConfig.Parse("""
            { "channels": { "kakao": { "userRateLimitPerMinute": 30, "outbound": { "agentSendsPerUserPerDay": 5 },
              "accounts": { "default": { "userRateLimitBurst": 4, "allowUnauthenticatedWebhook": true, "outbound": { "agentSendsPerTurn": 1 } } } } } }
            """).Kakao.Accounts.Single();

        Assert.Equal((20, 10, 3, 20, false), (defaults.UserRateLimitPerMinute, defaults.UserRateLimitBurst,
            defaults.Outbound.AgentSendsPerTurn, defaults.Outbound.AgentSendsPerUserPerDay, defaults.AllowUnauthenticatedWebhook));
        Assert.Equal((30, 4, 1, 5, true), (set.UserRateLimitPerMinute, set.UserRateLimitBurst,
            set.Outbound.AgentSendsPerTurn, set.Outbound.AgentSendsPerUserPerDay, set.AllowUnauthenticatedWebhook));
    }
}
