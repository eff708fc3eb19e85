namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary><c>channels.kakao.moltbotGateway.transport</c> and <c>run</c>: how the router reaches OpenClaw, and whether the AppHost runs it.</summary>
public sealed class OpenClawGatewayKeysTests
{
    [Fact]
    public void Without_the_keys_the_transport_is_auto_and_the_AppHost_runs_no_gateway()
    {
        var gateway = TestConfig.Parse("""{ "channels": { "kakao": {} } }""").Kakao.MoltbotGateway;

        Assert.Equal((OpenClawTransport.Auto, false), (gateway.Transport, gateway.Run));
        Assert.Equal(new Uri("http://127.0.0.1:18789/"), gateway.HttpBase);
    }

    [Fact]
    public void Transport_plugin_and_run_true_are_read_and_the_relay_lives_on_the_gateway_s_http_port()
    {
        var gateway = TestConfig.Parse("""
            { "channels": { "kakao": { "moltbotGateway": { "url": "wss://gw.example.com:9443/", "transport": "plugin", "run": true } } } }
            """).Kakao.MoltbotGateway;

        Assert.Equal((OpenClawTransport.Plugin, true), (gateway.Transport, gateway.Run));
        Assert.Equal(new Uri("https://gw.example.com:9443/"), gateway.HttpBase);
    }

    [Fact]
    public void An_unknown_transport_is_an_error_naming_the_choices()
    {
        var exception = TestConfig.Fails("""{ "channels": { "kakao": { "moltbotGateway": { "transport": "websocket" } } } }""");

        var error = TestConfig.ErrorAt(exception, "channels.kakao.moltbotGateway.transport");
        Assert.Contains("\"auto\", \"plugin\" or \"operator\"", error.Message);
    }
}
