using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Pairing;
using Microsoft.Extensions.Logging.Abstractions;

namespace KakaoAspire.Webhook.Tests;

/// <summary>Which accounts' pairing goes to OpenClaw's store: those whose strangers reach an OpenClaw agent through the plugin.</summary>
public sealed class OpenClawPairingScopeTests
{
    private const string Agents = """
        "agents": { "list": [
          { "id": "main", "default": true, "model": { "provider": "moltbot", "agentId": "main" } },
          { "id": "local", "model": { "provider": "builtin" } } ] }
        """;

    [Theory]
    [InlineData("plugin", "[]", "default", true)]                                                              // default agent in OpenClaw
    [InlineData("operator", "[]", "default", false)]                                                           // no plugin: our store, as before
    [InlineData("plugin", """[{ "agentId": "local", "match": { "channel": "kakao" } }]""", "default", false)]   // bound to a non-OpenClaw agent
    [InlineData("plugin", """[{ "agentId": "local", "match": { "channel": "kakao" } }]""", "other", true)]     // that binding covers "default" only
    [InlineData("plugin", """[{ "agentId": "my-assistant", "match": { "channel": "kakao", "accountId": "*" } }]""", "other", true)] // an agent only OpenClaw knows
    public async Task Pairing_uses_OpenClaw_s_store_only_where_strangers_reach_an_OpenClaw_agent_through_the_plugin(
        string transport, string bindings, string account, bool expected)
    {
        var config = MoltbotConfigLoader.Parse($$"""
            {
              "gateway": { "auth": { "token": "scope-test-token" } },
              "channels": { "kakao": {
                "moltbotGateway": { "url": "ws://127.0.0.1:9/", "transport": "{{transport}}" },
                "accounts": { "default": { "webhookPort": 9401 }, "other": { "webhookPort": 9402 } } } },
              {{Agents}},
              "bindings": {{bindings}}
            }
            """, null, _ => null);
        var pairing = new OpenClawPairing(new NoHttp(), config, TimeProvider.System, NullLogger<OpenClawPairing>.Instance);

        Assert.Equal(expected, await pairing.AppliesToAsync(account));
    }

    // "plugin" and "operator" decide without asking the gateway; a call here would be a defect.
    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("no HTTP expected");
    }
}
