using KakaoAspire.Kakao.Skill;

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

        var (second, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Tap(user, more));
        // Kakao sending the same tap again gets the same page, not the one after it.
        var (retried, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Tap(user, more));

        var texts = Skill.Texts(first).Concat(Skill.Texts(second)).ToList();
        Assert.All(texts, t => Assert.True(t.Length <= 1000));
        Assert.Equal(Squash(full), Squash(string.Concat(texts)));
        Assert.Null(second.Template!.QuickReplies);
        Assert.Equal(Skill.Texts(second), Skill.Texts(retried));
        var pastTheEnd = (System.Text.Json.Nodes.JsonObject)more.Extra!.DeepClone();
        pastTheEnd[SkillTexts.ExtraPage] = 1;
        var (none, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, SkillTexts.MoreLabel, clientExtra: pastTheEnd));
        Assert.Equal(SkillTexts.NoMorePages, Skill.Texts(none).Single());
        Assert.Equal(1, fixture.Router.RunsOf("long:4000"));
    }

    [Fact]
    public async Task A_retried_more_tap_gets_the_same_page_and_the_next_tap_the_next_page_so_none_is_skipped()
    {
        var user = Skill.NewUser();
        var full = Fakes.FakeAgentRouter.Long(8000);

        var (first, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, "long:8000"));
        var pages = new List<SkillResponse> { first };
        while (pages[^1].Template!.QuickReplies is [var more] && more.Label == SkillTexts.MoreLabel)
        {
            var (page, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Tap(user, more));
            // Kakao sends the same tap again: the same page comes back.
            var (retried, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Tap(user, more));
            Assert.Equal(Skill.Texts(page), Skill.Texts(retried));
            pages.Add(page);
        }

        Assert.True(pages.Count >= 3, $"8000 characters should need at least three pages, got {pages.Count}");
        Assert.Equal(Squash(full), Squash(string.Concat(pages.SelectMany(Skill.Texts))));
    }

    [Fact]
    public async Task A_typed_more_that_Kakao_sends_twice_gets_the_same_page_both_times()
    {
        var user = Skill.NewUser();
        await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, "long:8000"));

        var (once, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, SkillTexts.MoreLabel));
        var (again, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, SkillTexts.MoreLabel));

        Assert.NotEmpty(Skill.Texts(once));
        Assert.Equal(Skill.Texts(once), Skill.Texts(again));
        Assert.DoesNotContain(SkillTexts.NoMorePages, Skill.Texts(again));
    }

    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
