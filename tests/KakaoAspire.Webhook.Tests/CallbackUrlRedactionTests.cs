using KakaoAspire.Webhook.Deadline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The span of a callback POST carries its URL (the webhook's rule for the trace enrichment), never its token.</summary>
public sealed class CallbackUrlRedactionTests
{
    [Theory]
    [InlineData("https://bot-api.kakao.com/v1/callback/ABCDEF-one-use-token/xyz", "https://bot-api.kakao.com/v1/callback/***/***")]
    [InlineData("https://bot-api.kakao.com/v1/bots/abc/callback/tok?x=1", "https://bot-api.kakao.com/v1/bots/abc/callback/***?***")]
    [InlineData("http://agent-router/internal/turns/0123abcd", "http://agent-router/internal/turns/0123abcd")]
    public void A_callback_token_never_reaches_a_trace(string url, string traced)
    {
        Assert.Equal(traced, new UrlRedaction([new KakaoCallbackUrlRedaction()]).Redact(new Uri(url)));
    }
}

public sealed class CallbackUrlRedactionRegistrationTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Fact]
    public void The_webhook_registers_its_rule_for_its_traces()
    {
        var redaction = fixture.Factory.Services.GetRequiredService<UrlRedaction>();

        Assert.Equal("https://bot-api.kakao.com/v1/callback/***/***",
            redaction.Redact(new Uri("https://bot-api.kakao.com/v1/callback/ABCDEF-one-use-token/xyz")));
    }
}
