using System.Diagnostics;
using System.Net;
using KakaoAspire.AgentRouter.Agents;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>One turn at a time per session, across router replicas sharing one Redis.</summary>
[Collection(RedisCollection.Name)]
public sealed class TurnLockTests(RedisFixture redis)
{
    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task ConcurrentTurnsOnOneSessionThroughTwoRoutersRunOneAfterTheOtherEvenPastTheLease()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        // Longer than the 3 s lease RouterFactory sets: the lock must be renewed, not merely held.
        model.Delay = TimeSpan.FromSeconds(3.5);
        var config = Configs.OpenAI(model.Endpoint);
        await using var routerA = new RouterFactory(redis.Server.ConnectionString, config);
        await using var routerB = new RouterFactory(redis.Server.ConnectionString, config);
        var user = NewUser();

        var first = routerA.TurnAsync(user, "첫 번째");
        var second = routerB.TurnAsync(user, "두 번째");
        var answers = await Task.WhenAll(first, second);

        // Whichever ran second saw the other's exchange in its history: the turns did not overlap.
        Assert.All(answers, a => Assert.Null(a.Failure));
        Assert.Equal(2, model.Requests.Count);
        var later = model.Requests[1].Messages.Where(m => m.Role == "user").Select(m => m.Text).ToList();
        Assert.Equal(2, later.Count);
        Assert.Equal(4, await redis.Db.ListLengthAsync(RedisKeys.SessionTurns(answers[0].SessionKey)));
        Assert.False(await redis.Db.KeyExistsAsync(RedisKeys.SessionLock(answers[0].SessionKey)));
    }

    [Fact]
    public async Task DifferentSessionsDoNotWaitForEachOther()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint)).Started();
        await router.TurnAsync(NewUser(), "준비"); // the first call pays for JIT; the measure is about waiting
        model.Delay = TimeSpan.FromSeconds(2);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(router.TurnAsync(NewUser(), "하나"), router.TurnAsync(NewUser(), "둘"));
        // One after the other would take at least 4 s.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3.5));
    }

    [Fact]
    public async Task LockLeftByARouterKilledMidTurnExpiresAndTheNextMessageIsAnswered()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin(timeoutSeconds: 10)).Started();
        var user = NewUser();
        var baseKey = $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}";
        // What a dead router leaves behind: its token, and the rest of its lease.
        await redis.Db.StringSetAsync(RedisKeys.SessionLock(baseKey), "dead-router-token", TimeSpan.FromMilliseconds(1500));

        var clock = Stopwatch.StartNew();
        var answer = await router.TurnAsync(user, "아직 살아 있나요?");

        Assert.Null(answer.Failure);
        Assert.Contains("기본 에이전트", answer.Text);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task SessionBusyPastTimeoutSecondsGetsAClearKoreanAnswer()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin(timeoutSeconds: 1));
        var user = NewUser();
        var baseKey = $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}";
        await redis.Db.StringSetAsync(RedisKeys.SessionLock(baseKey), "other-router", TimeSpan.FromSeconds(30));

        var answer = await router.TurnAsync(user, "급해요");

        Assert.Equal((AgentTexts.Busy, "busy"), (answer.Text, answer.Failure));
        await redis.Db.KeyDeleteAsync(RedisKeys.SessionLock(baseKey));
    }

    [Fact]
    public async Task AnswerIsStoredUnderTheTurnIdAndARepeatedPostDoesNotRunTheAgentAgain()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        model.AnswerWith("처음 답");
        var turnId = Guid.NewGuid().ToString("N");
        var user = NewUser();

        var first = await router.TurnAsync(user, "질문", turnId);
        var stored = (string?)await redis.Db.StringGetAsync(RedisKeys.TurnAnswer(turnId));
        var ttl = await redis.Db.KeyTimeToLiveAsync(RedisKeys.TurnAnswer(turnId));
        var repeated = await router.TurnAsync(user, "질문", turnId);

        Assert.Equal("처음 답", first.Text);
        Assert.Contains("처음 답", stored);
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.Equal(first, repeated with { QuickReplies = first.QuickReplies, ImageUrls = first.ImageUrls, Cards = first.Cards });
        Assert.Single(model.Requests);
    }

    [Fact]
    public async Task GetTurnAnswersOkForAStoredAnswerAcceptedWhileRunningAndNotFoundOtherwise()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Delay = TimeSpan.FromSeconds(1.5);
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        using var client = router.CreateClient();
        var turn = RouterFactory.Turn(NewUser(), "느린 질문");

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/internal/turns/{turn.TurnId}")).StatusCode);
        var running = router.PostTurnAsync(turn);
        await WaitUntilAsync(() => redis.Db.KeyExistsAsync(RedisKeys.TurnRunning(turn.TurnId)));
        Assert.Equal(HttpStatusCode.Accepted, (await client.GetAsync($"/internal/turns/{turn.TurnId}")).StatusCode);
        (await running).EnsureSuccessStatusCode();
        var done = await client.GetAsync($"/internal/turns/{turn.TurnId}");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains(model.DefaultAnswer, await done.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TurnKeepsRunningAndStoresItsAnswerWhenTheCallerStopsWaiting()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Delay = TimeSpan.FromSeconds(1.5);
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        var turn = RouterFactory.Turn(NewUser(), "기다려 줄래?");

        // The webhook gives up at its reply deadline; the answer must still be held for it.
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var client = router.CreateClient();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.PostAsync("/internal/turns/", System.Net.Http.Json.JsonContent.Create(turn), impatient.Token));

        await WaitUntilAsync(() => redis.Db.KeyExistsAsync(RedisKeys.TurnAnswer(turn.TurnId)), TimeSpan.FromSeconds(10));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
