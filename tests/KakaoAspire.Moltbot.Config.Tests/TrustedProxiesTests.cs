using System.Net;

namespace KakaoAspire.Moltbot.Config.Tests;

public class TrustedProxiesTests
{
    private const string Path = "channels.kakao.trustedProxies";

    [Fact]
    public void Without_the_key_no_proxy_is_trusted()
    {
        Assert.Empty(TestConfig.Parse("{}").Kakao.TrustedProxies);
    }

    [Fact]
    public void Addresses_and_networks_are_read_as_networks()
    {
        var config = TestConfig.Parse("""{ "channels": { "kakao": { "trustedProxies": ["127.0.0.1", "10.0.0.0/8", "::1"] } } }""");

        Assert.Equal(
            [IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("::1/128")],
            config.Kakao.TrustedProxies);
        Assert.True(config.Kakao.TrustedProxies[1].Contains(IPAddress.Parse("10.20.30.40")));
    }

    [Theory]
    [InlineData("proxy.example.com")]
    [InlineData("10.0.0.5:8080")]
    [InlineData("10.0.0.0/33")]
    public void Something_that_is_no_address_names_the_entry_and_the_fix(string entry)
    {
        var exception = TestConfig.Fails($$"""{ "channels": { "kakao": { "trustedProxies": ["127.0.0.1", "{{entry}}"] } } }""");

        var message = TestConfig.ErrorAt(exception, $"{Path}[1]").Message;
        Assert.Contains(entry, message);
        Assert.Contains("\"10.0.0.0/8\"", message);
    }

    [Theory]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    public void A_network_that_trusts_every_address_is_refused(string entry)
    {
        var exception = TestConfig.Fails($$"""{ "channels": { "kakao": { "trustedProxies": ["{{entry}}"] } } }""");

        Assert.Contains("trusts every address", TestConfig.ErrorAt(exception, $"{Path}[0]").Message);
    }

    [Fact]
    public void It_is_a_channel_setting_not_an_account_one()
    {
        var exception = TestConfig.Fails(TestConfig.Account("\"trustedProxies\": [\"127.0.0.1\"]"));

        Assert.Contains(exception.Errors, e => e.Path == "channels.kakao.accounts.default.trustedProxies");
    }
}
