using System.Diagnostics;
using KakaoAspire.Kakao.Skill;
using Xunit.Abstractions;
using SkillClient = KakaoAspire.TestSupport.Skill;

namespace KakaoAspire.Webhook.Tests;

public sealed class DeadlineTests(WebhookFixture fixture, ITestOutputHelper output) : IClassFixture<WebhookFixture>
{
    private HttpClient Client => fixture.Client;

    // The fast account's replyDeadlineMs is 1000, and the webhook answers 300 ms before it. The deadline is held to
    // the webhook's own figure from arrival (its log line), which is what the deadline is measured against. The test's
    // clock also counts the in-process client's side, which a machine running the other test classes at once stretched
    // to 1,085 and 1,678 ms on 2 cores; on that clock the bound is the slow agent's own time, so a reply that waited for
    // the agent still fails.
    private const double DeadlineMs = 1000;
    private static readonly TimeSpan SlowAgent = TimeSpan.FromMilliseconds(2500);

    private int LogCount => fixture.Factory.Logs.GetSnapshot().Count;

    /// <summary>The webhook's "answered in N ms" figure for the one fast-account request logged since <paramref name="logsBefore"/>.</summary>
    private double ServerSideMs(int logsBefore) => Assert.Single(
        SkillClient.ServerSideMs(fixture.Factory.Logs.GetSnapshot().Skip(logsBefore).Select(r => r.Message), TestConfig.Fast));

    [Fact]
    public async Task AnswerReadyInTimeIsInlineAndLeavesWellInsideTheDeadline()
    {
        var (response, elapsed) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "빠른 질문"));

        Assert.Equal("답변: 빠른 질문", Skill.Texts(response)[0]);
        output.WriteLine($"MEASURED inline: arrival to reply {elapsed.TotalMilliseconds:F0} ms (deadline 4000 ms)");
        Assert.True(elapsed < TimeSpan.FromSeconds(4), $"inline reply took {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task SlowAgentWithoutCallbackGetsStillThinkingAtTheDeadlineAndTheAnswerArrivesWithTheNextMessageInOrder()
    {
        var user = Skill.NewUser();
        var logsBefore = LogCount;
        var (first, elapsed) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "slow:2500 첫 질문"));

        var serverMs = ServerSideMs(logsBefore);
        output.WriteLine($"MEASURED still thinking: webhook arrival to reply {serverMs:F0} ms, client {elapsed.TotalMilliseconds:F0} ms (deadline 1000 ms)");
        Assert.True(serverMs < DeadlineMs, $"the webhook replied {serverMs} ms after arrival, deadline 1000 ms");
        Assert.True(elapsed < SlowAgent, $"the reply took {elapsed.TotalMilliseconds} ms at the client: it waited for the agent");
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(first).Single());
        Assert.Equal([SkillTexts.CheckLabel], Skill.QuickReplyLabels(first));

        await fixture.Router.FinishedAsync("slow:2500 첫 질문", TimeSpan.FromSeconds(10));
        var (second, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "둘째 질문"));

        Assert.Equal(["답변: slow:2500 첫 질문", "답변: 둘째 질문"], Skill.Texts(second));
    }

    [Fact]
    public async Task HeldAnswerIsDeliveredOnTheCheckQuickReplyAndOnlyOnce()
    {
        var user = Skill.NewUser();
        var (first, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "slow:1500 확인용"));
        var check = first.Template!.QuickReplies!.Single();

        var (early, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Tap(user, check));
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(early).Single());

        await fixture.Router.FinishedAsync("slow:1500 확인용", TimeSpan.FromSeconds(10));
        var (ready, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Tap(user, check));
        var (again, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Tap(user, check));

        Assert.Equal("답변: slow:1500 확인용", Skill.Texts(ready).Single());
        Assert.Equal(SkillTexts.NothingHeld, Skill.Texts(again).Single());
        Assert.Equal(1, fixture.Router.RunsOf("slow:1500 확인용"));
    }

    [Fact]
    public async Task SlowAgentWithCallbackIsAcknowledgedThenPostedExactlyOnceAtLeastASecondLater()
    {
        var token = Guid.NewGuid().ToString("N");
        var logsBefore = LogCount;
        var started = Stopwatch.GetTimestamp();
        using var http = await Skill.PostAsync(Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:2500 콜백 질문", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        var ackAt = Stopwatch.GetTimestamp();
        var ack = await http.Content.ReadAsStringAsync();

        var serverMs = ServerSideMs(logsBefore);
        var clientElapsed = Stopwatch.GetElapsedTime(started, ackAt);
        output.WriteLine($"MEASURED callback ack: webhook arrival to reply {serverMs:F0} ms, client {clientElapsed.TotalMilliseconds:F0} ms (deadline 1000 ms)");
        Assert.True(serverMs < DeadlineMs, $"the webhook acknowledged {serverMs} ms after arrival, deadline 1000 ms");
        Assert.True(clientElapsed < SlowAgent, $"the ack took {clientElapsed.TotalMilliseconds} ms at the client: it waited for the agent");
        var parsed = SkillJson.DeserializeResponse(ack)!;
        Assert.True(parsed.UseCallback);
        Assert.Null(parsed.Template);
        Assert.Equal(SkillTexts.CallbackWaiting, (string?)parsed.Data!["text"]);

        var posts = await fixture.Kakao.WaitForAsync(token, TimeSpan.FromSeconds(10));
        await Task.Delay(1000);
        posts = fixture.Kakao.For(token);

        var post = Assert.Single(posts);
        output.WriteLine($"MEASURED callback POST: {Stopwatch.GetElapsedTime(ackAt, post.Timestamp).TotalMilliseconds:F0} ms after the ack (agent 2500 ms)");
        Assert.True(Stopwatch.GetElapsedTime(ackAt, post.Timestamp) >= TimeSpan.FromSeconds(1));
        var final = SkillJson.DeserializeResponse(post.Body)!;
        final.Validate();
        Assert.Equal("답변: slow:2500 콜백 질문", Skill.Texts(final).Single());
    }

    [Fact]
    public async Task ReadyHeldAnswerGoesOutWithTheStillThinkingNoteWhenTheNewMessageIsSlowToo()
    {
        var user = Skill.NewUser();
        var (first, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "slow:1200 하나"));
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(first).Single());
        await fixture.Router.FinishedAsync("slow:1200 하나", TimeSpan.FromSeconds(10));

        var (second, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "slow:1500 둘"));
        Assert.Equal(["답변: slow:1200 하나", SkillTexts.StillThinking], Skill.Texts(second));

        await fixture.Router.FinishedAsync("slow:1500 둘", TimeSpan.FromSeconds(10));
        var (third, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, SkillTexts.CheckLabel));
        Assert.Equal(["답변: slow:1500 둘"], Skill.Texts(third));
    }

    [Fact]
    public async Task HeldAnswerSurvivesAWebhookRestart()
    {
        var user = Skill.NewUser();
        var before = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50));
        var (first, _) = await Skill.AskAsync(before.CreateClient(), TestConfig.Fast, Skill.Payload(user, "slow:1500 재시작 전"));
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(first).Single());
        await before.DisposeAsync();

        await fixture.Router.FinishedAsync("slow:1500 재시작 전", TimeSpan.FromSeconds(10));
        var after = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50));
        var (second, _) = await Skill.AskAsync(after.CreateClient(), TestConfig.Fast, Skill.Payload(user, "재시작 후"));

        Assert.Equal(["답변: slow:1500 재시작 전", "답변: 재시작 후"], Skill.Texts(second));
    }

    [Fact]
    public async Task AHeldTurnWhoseRouterDiedIsToldAsFailedOnTheNextMessageLongAfterItsDedupeWindow()
    {
        var user = Skill.NewUser();
        var (first, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "slow:1500 라우터가 죽는 질문 die"));
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(first).Single());
        await fixture.Router.DiedAsync("slow:1500 라우터가 죽는 질문 die", TimeSpan.FromSeconds(10));

        // Past the fast account's 3 s dedupe window (plus the webhook's second of slack and its sweep): the webhook forgot
        // the failed call, and the router still says "running", as a SIGKILLed router's claim does for minutes.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var (second, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(user, "그다음 질문"));

        Assert.Equal([SkillTexts.AgentFailed, "답변: 그다음 질문"], Skill.Texts(second));
    }

    [Fact]
    public async Task AReplyNeverCarriesAnAnswerAndTheNoteThatItIsStillComing()
    {
        // Turns that end around the fast account's 700 ms wait: some are inline, some held, and some finish between the
        // deadline and the held answers being read, when the reply carries the answer itself.
        for (var ms = 680; ms <= 800; ms += 8)
        {
            var utterance = $"slow:{ms} 경계";
            var (reply, _) = await Skill.AskAsync(Client, TestConfig.Fast, Skill.Payload(Skill.NewUser(), utterance));
            var texts = Skill.Texts(reply);
            Assert.False(texts.Contains($"답변: {utterance}") && texts.Contains(SkillTexts.StillThinking), $"{ms} ms: {string.Join(" | ", texts)}");
        }
    }

    [Fact]
    public async Task CallbackUrlIsPostedVerbatimWithItsEncodingKept()
    {
        var token = "tok%41%7Eend" + Guid.NewGuid().ToString("N");
        using var http = await Skill.PostAsync(Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:1100 원문 그대로", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        await http.Content.ReadAsStringAsync();

        var posts = await fixture.Kakao.WaitForAsync(token, TimeSpan.FromSeconds(10));

        Assert.True(posts.Count == 1, string.Join(" | ", fixture.Kakao.Received.Select(r => r.RawTarget)));
        Assert.Equal($"/v1/bots/test-bot/callback/{token}", posts[0].RawTarget);
    }

    [Fact]
    public async Task FailingSlowAgentWithCallbackPostsThePoliteMessage()
    {
        var token = Guid.NewGuid().ToString("N");
        using var http = await Skill.PostAsync(Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:1100 fail", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        await http.Content.ReadAsStringAsync();

        var posts = await fixture.Kakao.WaitForAsync(token, TimeSpan.FromSeconds(10));

        Assert.Equal(SkillTexts.AgentFailed, Skill.Texts(SkillJson.DeserializeResponse(Assert.Single(posts).Body)!).Single());
    }

    [Fact]
    public async Task FastAgentWithCallbackStillAnswersInlineWithoutAPost()
    {
        var token = Guid.NewGuid().ToString("N");
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open,
            Skill.Payload(Skill.NewUser(), "빠른 콜백", callbackUrl: fixture.Kakao.CallbackUrl(token)));

        Assert.Equal("답변: 빠른 콜백", Skill.Texts(response).Single());
        await Task.Delay(1500);
        Assert.Empty(fixture.Kakao.For(token));
    }

    [Fact]
    public async Task CallbackHostNotAllowedFallsBackToStillThinkingWithoutAnyPost()
    {
        var user = Skill.NewUser();
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Fast,
            Skill.Payload(user, "slow:1200 금지된 콜백", callbackUrl: "https://evilkakao.com/v1/bots/b/callback/t"));

        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(response).Single());
    }

    [Fact]
    public async Task RedirectingCallbackIsNotFollowed()
    {
        var token = Guid.NewGuid().ToString("N");
        using var http = await Skill.PostAsync(Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:1200 리다이렉트", callbackUrl: $"{fixture.Kakao.Url}/redirect/{token}"));
        await http.Content.ReadAsStringAsync();

        await Task.Delay(3500);

        Assert.Single(fixture.Kakao.Received, r => r.Path == $"/redirect/{token}");
        Assert.Empty(fixture.Kakao.For(token + "-redirected"));
    }
}

/// <summary>The ~50 s rule with the budget shortened to 3 s: the one POST says "still thinking" and the answer is held.</summary>
public sealed class StillThinkingCallbackFixture : WebhookFixture
{
    protected override TimeSpan StillThinkingAfter => TimeSpan.FromSeconds(3);
}

public sealed class StillThinkingCallbackTests(StillThinkingCallbackFixture fixture) : IClassFixture<StillThinkingCallbackFixture>
{
    [Fact]
    public async Task AgentStillWorkingAtTheCallbackBudgetGetsOneStillThinkingPostAndTheAnswerComesNext()
    {
        var user = Skill.NewUser();
        var token = Guid.NewGuid().ToString("N");
        var (ack, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast,
            Skill.Payload(user, "slow:5000 오래 걸리는 질문", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        Assert.True(ack.UseCallback);

        var posts = await fixture.Kakao.WaitForAsync(token, TimeSpan.FromSeconds(10));
        var post = SkillJson.DeserializeResponse(Assert.Single(posts).Body)!;
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(post).Single());
        var check = Assert.Single(post.Template!.QuickReplies!);
        Assert.Equal(SkillTexts.CheckLabel, check.Label);

        await Task.Delay(3000);
        var (answer, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast, Skill.Tap(user, check));

        Assert.Equal("답변: slow:5000 오래 걸리는 질문", Skill.Texts(answer).Single());
        Assert.Single(fixture.Kakao.For(token));
    }
}

/// <summary>Production: plain http callbacks are refused even to loopback.</summary>
public sealed class ProductionFixture : WebhookFixture
{
    protected override string Environment => "Production";
}

public sealed class ProductionCallbackTests(ProductionFixture fixture) : IClassFixture<ProductionFixture>
{
    [Fact]
    public async Task HttpLoopbackCallbackIsRefusedInProduction()
    {
        var token = Guid.NewGuid().ToString("N");
        var (response, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:1200 운영 콜백", callbackUrl: fixture.Kakao.CallbackUrl(token)));

        Assert.Null(response.UseCallback);
        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(response).Single());
        await Task.Delay(2000);
        Assert.Empty(fixture.Kakao.For(token));
    }
}
