using KakaoAspire.AgentRouter.Routing;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>Moltbot's binding table (docs/moltbot-channel-rules.md#bindings), read from real config JSON.</summary>
public sealed class BindingResolverTests
{
    private const string Agents = """
        "agents": { "list": [
          { "id": "main", "default": true }, { "id": "vip" }, { "id": "sales" }, { "id": "ops" }, { "id": "any" } ] }
        """;

    private static MoltbotConfig Config(string bindings, string agents = Agents) =>
        MoltbotConfigLoader.Parse($$"""{ {{agents}}, {{bindings}} }""", null, _ => null);

    private static AgentRoute Route(MoltbotConfig config, string account = "default", string peer = "PeerA", string channel = "kakao") =>
        BindingResolver.Resolve(config, channel, account, "dm", peer);

    [Fact]
    public void NoBindingsMeansTheDefaultAgent()
    {
        var route = Route(Config("\"bindings\": []"));
        Assert.Equal(("main", MatchedBy.Default), (route.Agent.Id, route.MatchedBy));
    }

    [Fact]
    public void DefaultAgentIsTheFirstWhenNoneIsMarked()
    {
        var config = Config("\"bindings\": []", "\"agents\": { \"list\": [ { \"id\": \"first\" }, { \"id\": \"second\" } ] }");
        Assert.Equal("first", Route(config).Agent.Id);
    }

    [Fact]
    public void NoAgentsListMeansTheBuiltinMain()
    {
        var config = MoltbotConfigLoader.Parse("{}", null, _ => null);
        var route = Route(config);
        Assert.Equal(("main", AgentModelProvider.Builtin, MatchedBy.Default), (route.Agent.Id, route.Agent.Model.Provider, route.MatchedBy));
    }

    [Fact]
    public void PeerBindingWinsOverAccountAndChannelBindingsWhateverTheirOrder()
    {
        var config = Config("""
            "bindings": [
              { "agentId": "any", "match": { "channel": "kakao", "accountId": "*" } },
              { "agentId": "sales", "match": { "channel": "kakao", "accountId": "default" } },
              { "agentId": "vip", "match": { "channel": "kakao", "accountId": "*", "peer": { "kind": "dm", "id": "PeerA" } } } ]
            """);
        Assert.Equal(("vip", MatchedBy.Peer), (Route(config).Agent.Id, Route(config).MatchedBy));
        Assert.Equal(("sales", MatchedBy.Account), (Route(config, peer: "PeerB").Agent.Id, Route(config, peer: "PeerB").MatchedBy));
    }

    [Fact]
    public void PeerBindingMatchesThePeerIdCaseInsensitively()
    {
        var config = Config("""
            "bindings": [ { "agentId": "vip", "match": { "channel": "kakao", "accountId": "*", "peer": { "kind": "dm", "id": "peera" } } } ]
            """);
        Assert.Equal(MatchedBy.Peer, Route(config, peer: "PEERA").MatchedBy);
    }

    [Fact]
    public void PeerBindingForAnotherPeerDoesNotWidenToTheAccount()
    {
        var config = Config("""
            "bindings": [ { "agentId": "vip", "match": { "channel": "kakao", "accountId": "default", "peer": { "kind": "dm", "id": "Someone" } } } ]
            """);
        Assert.Equal(("main", MatchedBy.Default), (Route(config).Agent.Id, Route(config).MatchedBy));
    }

    [Fact]
    public void PeerBindingOnAnotherAccountDoesNotMatch()
    {
        var config = Config("""
            "bindings": [ { "agentId": "vip", "match": { "channel": "kakao", "accountId": "shop", "peer": { "kind": "dm", "id": "PeerA" } } } ]
            """);
        Assert.Equal(MatchedBy.Default, Route(config, account: "default").MatchedBy);
        Assert.Equal(MatchedBy.Peer, Route(config, account: "shop").MatchedBy);
    }

    [Fact]
    public void ConcreteAccountWinsOverStarWhateverTheirOrder()
    {
        var config = Config("""
            "bindings": [
              { "agentId": "any", "match": { "channel": "kakao", "accountId": "*" } },
              { "agentId": "sales", "match": { "channel": "kakao", "accountId": "Shop" } } ]
            """);
        Assert.Equal(("sales", MatchedBy.Account), (Route(config, account: "shop").Agent.Id, Route(config, account: "shop").MatchedBy));
        Assert.Equal(("any", MatchedBy.Channel), (Route(config, account: "default").Agent.Id, Route(config, account: "default").MatchedBy));
    }

    [Fact]
    public void BindingWithoutAccountIdMatchesOnlyTheDefaultAccount()
    {
        var config = Config("""
            "bindings": [ { "agentId": "sales", "match": { "channel": "kakao" } } ]
            """);
        Assert.Equal(("sales", MatchedBy.Account), (Route(config, account: "default").Agent.Id, Route(config, account: "default").MatchedBy));
        Assert.Equal(("main", MatchedBy.Default), (Route(config, account: "shop").Agent.Id, Route(config, account: "shop").MatchedBy));
    }

    [Fact]
    public void StarAccountMatchesEveryAccount()
    {
        var config = Config("""
            "bindings": [ { "agentId": "any", "match": { "channel": "kakao", "accountId": "*" } } ]
            """);
        Assert.All(new[] { "default", "shop", "other" }, account => Assert.Equal(MatchedBy.Channel, Route(config, account: account).MatchedBy));
    }

    [Fact]
    public void LegacyRoutingBindingsCoverEveryAccount()
    {
        var config = Config("""
            "routing": { "bindings": [ { "channel": "kakao", "agent": "ops" } ] }
            """);
        Assert.Equal(("ops", MatchedBy.Channel), (Route(config, account: "shop").Agent.Id, Route(config, account: "shop").MatchedBy));
        Assert.Equal("ops", Route(config, account: "default").Agent.Id);
    }

    [Fact]
    public void TopLevelBindingsComeBeforeLegacyOnesOfTheSameRank()
    {
        var config = Config("""
            "bindings": [ { "agentId": "any", "match": { "channel": "kakao", "accountId": "*" } } ],
            "routing": { "bindings": [ { "channel": "kakao", "agent": "ops" } ] }
            """);
        Assert.Equal("any", Route(config).Agent.Id);
    }

    [Fact]
    public void BindingForAnotherChannelIsIgnored()
    {
        var config = Config("""
            "bindings": [ { "agentId": "ops", "match": { "channel": "telegram", "accountId": "*" } } ]
            """);
        Assert.Equal(MatchedBy.Default, Route(config).MatchedBy);
    }

    [Fact]
    public void ChannelMatchIgnoresCase()
    {
        var config = Config("""
            "bindings": [ { "agentId": "ops", "match": { "channel": "Kakao", "accountId": "*" } } ]
            """);
        Assert.Equal("ops", Route(config, channel: "KAKAO").Agent.Id);
    }

    [Fact]
    public void BindingToAnAgentWeDoNotListGoesToTheGatewayAgentOfThatIdNeverToTheDefault()
    {
        var config = Config("""
            "bindings": [ { "agentId": "ghost", "match": { "channel": "kakao", "accountId": "*" } } ]
            """);
        var route = Route(config);
        Assert.Equal(("ghost", MatchedBy.Channel, true), (route.Agent.Id, route.MatchedBy, route.GatewayOnly));
        Assert.Equal((AgentModelProvider.Moltbot, "ghost"), (route.Agent.Model.Provider, route.Agent.Model.AgentId));
        Assert.True(config.UsesGateway);
        Assert.Contains(config.Warnings, w => w.Contains("\"ghost\"") && w.Contains("ws://127.0.0.1:18789/"));
    }

    [Fact]
    public void TheGuidesRoutingBindingReachesTheGatewayAgentMyAssistant()
    {
        var config = MoltbotConfigLoader.Parse("""
            { "routing": { "bindings": [ { "channel": "kakao", "agent": "my-assistant" } ] } }
            """, null, _ => null);
        var route = Route(config, account: "default");
        Assert.Equal(("my-assistant", AgentModelProvider.Moltbot, "my-assistant"),
            (route.Agent.Id, route.Agent.Model.Provider, route.Agent.Model.AgentId));
    }

    [Fact]
    public void FirstMatchingBindingOfARankWins()
    {
        var config = Config("""
            "bindings": [
              { "agentId": "sales", "match": { "channel": "kakao", "accountId": "*" } },
              { "agentId": "ops", "match": { "channel": "kakao", "accountId": "*" } } ]
            """);
        Assert.Equal("sales", Route(config).Agent.Id);
    }
}
