namespace KakaoAspire.AgentRouter.Tests;

public sealed class SessionKeysTests
{
    [Theory]
    [InlineData("main", "agent:main:main")]
    [InlineData("per-peer", "agent:main:dm:userkey")]
    [InlineData("per-channel-peer", "agent:main:kakao:dm:userkey")]
    [InlineData("per-account-channel-peer", "agent:main:kakao:shop:dm:userkey")]
    public void SessionKeyFollowsDmScopeAndIsLowercase(string dmScope, string expected) =>
        Assert.Equal(expected, SessionKeys.ForDirectMessage("Main", "Kakao", "Shop", "userkey", dmScope));

    [Fact]
    public void UnknownDmScopeKeepsStrangersApartPerAccount() =>
        Assert.Equal("agent:main:kakao:default:dm:peer", SessionKeys.ForDirectMessage("main", "kakao", "default", "peer", "whatever"));

    [Fact]
    public void Two_users_whose_ids_differ_only_in_case_get_different_sessions_even_after_the_gateway_lowercases_them()
    {
        var upper = SessionKeys.ForDirectMessage("main", "kakao", "default", "Xy7AbC", "per-account-channel-peer");
        var lower = SessionKeys.ForDirectMessage("main", "kakao", "default", "xy7abc", "per-account-channel-peer");

        Assert.NotEqual(upper.ToLowerInvariant(), lower.ToLowerInvariant());
        Assert.Equal(upper, upper.ToLowerInvariant());
    }

    [Theory]
    [InlineData("x:g2", "x")] // an id that would forge user x's session after a /reset
    [InlineData("a~b", "a~~b")]
    [InlineData("~a", "A")]
    [InlineData("가", "~.ac00")]
    public void A_peer_id_can_never_take_the_session_key_of_another(string one, string other)
    {
        string Key(string peer) => SessionKeys.ForDirectMessage("main", "kakao", "default", peer, "per-account-channel-peer");

        Assert.NotEqual(Key(other), Key(one));
        Assert.NotEqual(SessionKeys.WithGeneration(Key(other), 2), Key(one));
    }

    [Fact]
    public void A_lowercase_hex_botUserKey_keeps_the_key_it_always_had() =>
        Assert.Equal("agent:main:kakao:default:dm:8f3b2c1d9e0a", SessionKeys.ForDirectMessage("main", "kakao", "default", "8f3b2c1d9e0a", "x"));

    [Fact]
    public void FirstGenerationIsTheBaseKeyAndLaterOnesGetASuffix()
    {
        Assert.Equal("agent:main:main", SessionKeys.WithGeneration("agent:main:main", 1));
        Assert.Equal("agent:main:main:g2", SessionKeys.WithGeneration("agent:main:main", 2));
    }
}
