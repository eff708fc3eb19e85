using KakaoAspire.Webhook.Deadline;

namespace KakaoAspire.Webhook.Tests;

public sealed class CallbackUrlPolicyTests
{
    private static readonly string[] Kakao = ["*.kakao.com"];

    [Theory]
    [InlineData("https://bot-api.kakao.com/v1/bots/abc/callback/tok", true)]
    [InlineData("https://BOT-API.KAKAO.COM/v1/bots/abc/callback/tok", true)]
    [InlineData("http://bot-api.kakao.com/v1/bots/abc/callback/tok", false)]
    [InlineData("https://evilkakao.com/callback", false)]
    [InlineData("https://kakao.com.evil.io/callback", false)]
    [InlineData("https://bot-api.kakao.com.evil.io/callback", false)]
    [InlineData("https://bot-api.kakao.com@evil.io/callback", false)]
    [InlineData("https://user:pw@bot-api.kakao.com/callback", false)]
    [InlineData("ftp://bot-api.kakao.com/callback", false)]
    [InlineData("not a url", false)]
    [InlineData("http://127.0.0.1:5000/callback", false)]
    public void OnlyHttpsToAnAllowedHostOnADotBoundaryIsCalled(string url, bool allowed)
    {
        Assert.Equal(allowed, CallbackUrlPolicy.IsAllowed(url, Kakao, allowLoopbackHttp: false, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/callback", true)]
    [InlineData("http://localhost:5000/callback", true)]
    [InlineData("http://[::1]:5000/callback", true)]
    [InlineData("http://10.0.0.5:5000/callback", false)]
    [InlineData("http://bot-api.kakao.com/callback", false)]
    public void PlainHttpOnlyToLoopbackWhenAllowed(string url, bool allowed)
    {
        Assert.Equal(allowed, CallbackUrlPolicy.IsAllowed(url, Kakao, allowLoopbackHttp: true, out _));
    }

    [Fact]
    public void ExactHostEntryMatchesOnlyItself()
    {
        Assert.True(CallbackUrlPolicy.IsAllowed("https://bot-api.kakao.com/x", ["bot-api.kakao.com"], false, out _));
        Assert.False(CallbackUrlPolicy.IsAllowed("https://a.bot-api.kakao.com/x", ["bot-api.kakao.com"], false, out _));
        Assert.False(CallbackUrlPolicy.IsAllowed("https://kakao.com/x", Kakao, false, out _));
    }
}
