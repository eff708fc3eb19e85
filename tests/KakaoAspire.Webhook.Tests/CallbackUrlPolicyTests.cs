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

    [Theory]
    [InlineData("https://bot-api.kakao.com/v1/bots/abc/callback/tok", true)]
    [InlineData("https://bot-api.kakao.com:443/v1/bots/abc/callback/tok", true)]
    [InlineData("https://bot-api.kakao.com:8443/v1/bots/abc/callback/tok", false)]
    [InlineData("https://bot-api.kakao.com:22/v1/bots/abc/callback/tok", false)]
    [InlineData("https://chatbot.kakao.com/v1/bots/abc/callback/tok", false)]
    [InlineData("https://any-host.kakao.com/callback", false)]
    public void The_default_allows_only_Kakaos_callback_host_on_port_443(string url, bool allowed)
    {
        var defaults = new KakaoAspire.Moltbot.Config.KakaoAccountConfig { Id = "default" }.CallbackAllowedHosts;

        Assert.Equal(allowed, CallbackUrlPolicy.IsAllowed(url, defaults, allowLoopbackHttp: false, out var reason));
        Assert.True(allowed || reason.Length > 0);
    }

    [Theory]
    [InlineData("https://bot-api.kakao.com/callback", true)]
    [InlineData("https://bot-api.kakao.com:8443/callback", false)]
    [InlineData("https://hooks.example.com:8443/callback", true)]
    [InlineData("https://hooks.example.com/callback", false)]
    public void A_users_own_list_keeps_working_and_an_entry_without_a_port_means_443(string url, bool allowed)
    {
        string[] list = ["*.kakao.com", "hooks.example.com:8443"];

        Assert.Equal(allowed, CallbackUrlPolicy.IsAllowed(url, list, allowLoopbackHttp: false, out _));
    }
}
