namespace KakaoAspire.Webhook.Tests;

public sealed class DedupeAndPagingTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task TwoIdenticalConcurrentRequestsRunTheAgentOnceAndGetTheSameAnswer()
    {
        var user = Skill.NewUser();
        var utterance = "slow:300 중복-" + Guid.NewGuid().ToString("N")[..6];

        var results = await Task.WhenAll(
            Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, utterance)),
            Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, utterance)));

        Assert.Equal(1, fixture.Router.RunsOf(utterance));
        Assert.Equal($"답변: {utterance}", Skill.Texts(results[0].Response).Single());
        Assert.Equal($"답변: {utterance}", Skill.Texts(results[1].Response).Single());
    }

    [Fact]
    public async Task TheSameMessageAfterTheDedupeWindowRunsAgain()
    {
        var user = Skill.NewUser();
        var utterance = "다시-" + Guid.NewGuid().ToString("N")[..6];

        await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, utterance));
        await Task.Delay(3200);
        await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, utterance));

        Assert.Equal(2, fixture.Router.RunsOf(utterance));
    }

    [Fact]
    public async Task LongAnswerIsThreeOutputsPlusMoreAndTheRestComesPageByPageWithoutTheAgent()
    {
        var user = Skill.NewUser();
        var full = Fakes.FakeAgentRouter.Long(4000);

        var (first, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, "long:4000"));
        Assert.Equal(3, first.Template!.Outputs.Count);
        var more = Assert.Single(first.Template.QuickReplies!);
        Assert.Equal(SkillTexts.MoreLabel, more.Label);

        // Tapping "더 보기" twice quickly is two pages, not a duplicate.
        var (second, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Tap(user, more));
        var (third, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Tap(user, more));

        var texts = Skill.Texts(first).Concat(Skill.Texts(second)).ToList();
        Assert.All(texts, t => Assert.True(t.Length <= 1000));
        Assert.Equal(Squash(full), Squash(string.Concat(texts)));
        Assert.Null(second.Template!.QuickReplies);
        Assert.Equal(SkillTexts.NoMorePages, Skill.Texts(third).Single());
        Assert.Equal(1, fixture.Router.RunsOf("long:4000"));
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
