namespace KakaoAspire.AgentRouter.Tests;

public sealed class SessionKeysTests
{
    [Theory]
    [InlineData("main", "agent:main:main")]
    [InlineData("per-peer", "agent:main:dm:userkey")]
    [InlineData("per-channel-peer", "agent:main:kakao:dm:userkey")]
    [InlineData("per-account-channel-peer", "agent:main:kakao:shop:dm:userkey")]
    public void SessionKeyFollowsDmScopeAndIsLowercase(string dmScope, string expected) =>
        Assert.Equal(expected, SessionKeys.ForDirectMessage("Main", "Kakao", "Shop", "UserKey", dmScope));

    [Fact]
    public void UnknownDmScopeKeepsStrangersApartPerAccount() =>
        Assert.Equal("agent:main:kakao:default:dm:peer", SessionKeys.ForDirectMessage("main", "kakao", "default", "Peer", "whatever"));

    [Fact]
    public void FirstGenerationIsTheBaseKeyAndLaterOnesGetASuffix()
    {
        Assert.Equal("agent:main:main", SessionKeys.WithGeneration("agent:main:main", 1));
        Assert.Equal("agent:main:main:g2", SessionKeys.WithGeneration("agent:main:main", 2));
    }
}
