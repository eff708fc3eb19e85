using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>The span of a send or a poll carries NHN's URL (friendtalk's rule for the trace enrichment), never the app key.</summary>
public sealed class AppKeyRedactionTests
{
    [Theory]
    [InlineData("https://api-alimtalk.cloud.toast.com/friendtalk/v2.4/appkeys/MySecretAppKey123/messages",
        "https://api-alimtalk.cloud.toast.com/friendtalk/v2.4/appkeys/***/messages")]
    [InlineData("https://api-alimtalk.cloud.toast.com/friendtalk/v2.4/appkeys/MySecretAppKey123/messages/1?pageSize=1",
        "https://api-alimtalk.cloud.toast.com/friendtalk/v2.4/appkeys/***/messages/1?***")]
    [InlineData("https://bot-api.kakao.com/v2/bots/abc/talk", "https://bot-api.kakao.com/v2/bots/abc/talk")]
    public void NHNs_app_key_never_reaches_a_trace(string url, string traced)
    {
        Assert.Equal(traced, new UrlRedaction([new NhnAppKeyUrlRedaction()]).Redact(new Uri(url)));
    }
}

public sealed class AppKeyRedactionRegistrationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Friendtalk_registers_its_rule_for_its_traces()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);

        var redaction = app.Service<UrlRedaction>();

        Assert.Equal($"{harness.Nhn.BaseUrl}/friendtalk/v2.4/appkeys/***/messages",
            redaction.Redact(new Uri($"{harness.Nhn.BaseUrl}/friendtalk/v2.4/appkeys/{FakeNhnServer.AppKey}/messages")));
    }
}
