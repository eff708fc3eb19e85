using Microsoft.Extensions.Hosting;

namespace KakaoAspire.ServiceDefaults.Tests;

public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("https://api-alimtalk.cloud.toast.com/friendtalk/v2.4/appkeys/MySecretAppKey123/messages",
        "https://api-alimtalk.cloud.toast.com/friendtalk/v2.4/appkeys/***/messages")]
    [InlineData("https://bot-api.kakao.com/v1/callback/ABCDEF-one-use-token/xyz",
        "https://bot-api.kakao.com/v1/callback/***/***")]
    [InlineData("http://agent-router/internal/turns/0123abcd", "http://agent-router/internal/turns/0123abcd")]
    [InlineData("https://example.com/x?secret=1", "https://example.com/x?***")]
    public void KeysInPathsAndQueriesNeverReachATrace(string url, string expected)
    {
        Assert.Equal(expected, UrlRedaction.Redact(new Uri(url)));
    }
}
