namespace KakaoAspire.Moltbot.Config.Tests;

public class SecurityNoticesTests
{
    private const string GatewayAgent = """
        "agents": { "list": [
            { "id": "main", "default": true },
            { "id": "ops", "model": { "provider": "moltbot", "agentId": "ops" } }
        ] }
        """;

    [Theory]
    [InlineData("""{ "agentId": "ops", "match": { "channel": "kakao", "accountId": "*" } }""")]
    [InlineData("""{ "agentId": "ops", "match": { "channel": "kakao", "accountId": "default" } }""")]
    [InlineData("""{ "agentId": "ops", "match": { "channel": "kakao" } }""")]
    public void A_moltbot_gateway_agent_bound_to_an_open_account_is_a_notice(string binding)
    {
        var config = TestConfig.Parse($$"""{ {{GatewayAgent}}, "bindings": [ {{binding}} ] }""");

        var notice = Assert.Single(SecurityNotices.For(config));
        Assert.StartsWith("default: dmPolicy is \"open\" and strangers reach agent \"ops\"", notice);
    }

    [Theory]
    [InlineData("""{ "agentId": "ops", "match": { "channel": "kakao", "accountId": "*", "peer": { "kind": "dm", "id": "me" } } }""", "open")]
    [InlineData("""{ "agentId": "ops", "match": { "channel": "kakao", "accountId": "*" } }""", "pairing")]
    [InlineData("""{ "agentId": "main", "match": { "channel": "kakao", "accountId": "*" } }""", "open")]
    public void No_notice_when_strangers_cannot_reach_the_gateway_agent(string binding, string dmPolicy)
    {
        var config = TestConfig.Parse($$"""
            { "channels": { "kakao": { "dmPolicy": "{{dmPolicy}}" } }, {{GatewayAgent}}, "bindings": [ {{binding}} ] }
            """);

        Assert.Empty(SecurityNotices.For(config));
    }
}
