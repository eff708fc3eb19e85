using Microsoft.Extensions.Options;

namespace KakaoAspire.AgentRouter.Tests;

[Collection(RedisCollection.Name)]
public sealed class RouterOptionsTests(RedisFixture redis)
{
    [Fact]
    public async Task InvalidHistoryBoundStopsTheStartWithTheConfigPath()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin(),
            settings: new Dictionary<string, string> { ["AgentRouter:MaxHistoryMessages"] = "1" });

        var error = Assert.Throws<OptionsValidationException>(() => router.CreateClient());
        Assert.Contains("AgentRouter:MaxHistoryMessages", error.Message);
    }

    [Fact]
    public void NewestMessageIsKeptEvenWhenItAloneExceedsTheCharacterBound()
    {
        var now = DateTimeOffset.UtcNow;
        var turns = new[] { new SessionTurn("user", "짧은 말", now), new SessionTurn("assistant", new string('가', 500), now) };

        var kept = SessionStore.Bounded(turns, maxMessages: 40, maxCharacters: 100);

        Assert.Equal(500, Assert.Single(kept).Text.Length);
    }
}
