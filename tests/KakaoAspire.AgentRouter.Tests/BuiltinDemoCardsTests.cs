using KakaoAspire.AgentRouter.Agents;

namespace KakaoAspire.AgentRouter.Tests;

[Collection(RedisCollection.Name)]
public sealed class BuiltinDemoCardsTests(RedisFixture redis)
{
    [Fact]
    public async Task DemoAnswersWithCardsWhoseButtonsSendCommands()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var answer = await router.TurnAsync("User" + Guid.NewGuid().ToString("N")[..10], "/demo");

        Assert.Equal(3, answer.Cards.Count);
        Assert.Equal(BuiltinAgent.DemoCards.Select(c => c.Title), answer.Cards.Select(c => c.Title));
        Assert.All(answer.Cards, card => Assert.StartsWith("/", Assert.Single(card.Buttons).Value));
        Assert.Contains("/demo", answer.QuickReplies);
    }
}
