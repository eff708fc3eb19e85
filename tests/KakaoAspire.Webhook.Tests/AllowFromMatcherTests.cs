using KakaoAspire.Webhook.Access;

namespace KakaoAspire.Webhook.Tests;

public sealed class AllowFromMatcherTests
{
    private static readonly KakaoUserIds User = new("BotKey1", "PfKey1", null, "PfKey1", "App1");

    [Theory]
    [InlineData("*", true)]
    [InlineData("botkey1", true)]
    [InlineData("kakao:BOTKEY1", true)]
    [InlineData("pfkey1", true)]
    [InlineData("kakao:botUserKey:botkey1", true)]
    [InlineData("kakao:user:botkey1", true)]
    [InlineData("kakao:plusfriendUserKey:pfkey1", true)]
    [InlineData("plusfriendUserKey:PFKEY1", true)]
    [InlineData("kakao:appUserId:app1", true)]
    [InlineData("kakao:appUserId:botkey1", false)]
    [InlineData("kakao:botUserKey:pfkey1", false)]
    [InlineData("other", false)]
    [InlineData("", false)]
    public void AllowFromEntriesMatchBareOrTypedIdsCaseInsensitively(string entry, bool expected)
    {
        Assert.Equal(expected, AllowFromMatcher.Matches(entry, User));
    }
}
