namespace KakaoAspire.Webhook.Tests;

/// <summary>Its own fixture: the test kills Redis.</summary>
public sealed class RedisDownFixture : WebhookFixture;

public sealed class RedisDownTests(RedisDownFixture fixture) : IClassFixture<RedisDownFixture>
{
    [Fact]
    public async Task RedisDownStillGetsA200WithAPoliteKoreanMessageInsideTheDeadline()
    {
        await Skill.AskAsync(fixture.Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "살아 있나요"));
        fixture.Redis.Kill();

        var (response, elapsed) = await Skill.AskAsync(fixture.Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "레디스 없음"));

        Assert.Equal(SkillTexts.AgentFailed, Skill.Texts(response).Single());
        Assert.True(elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.TotalMilliseconds} ms");
    }
}
