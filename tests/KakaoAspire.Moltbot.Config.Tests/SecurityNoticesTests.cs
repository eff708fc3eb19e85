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

    [Fact]
    public void The_guide_s_binding_to_the_user_s_own_gateway_agent_on_an_open_account_is_a_notice()
    {
        // "my-assistant" is not one of ours: the agent-router sends it to the gateway agent of that id, with its tools.
        var config = TestConfig.Parse("""
            { "agents": { "list": [ { "id": "main", "default": true } ] },
              "routing": { "bindings": [ { "channel": "kakao", "agent": "my-assistant" } ] } }
            """);

        var notice = Assert.Single(SecurityNotices.For(config));
        Assert.StartsWith("default: dmPolicy is \"open\" and strangers reach agent \"my-assistant\"", notice);
    }
}
