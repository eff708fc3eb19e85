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
        Assert.Equal(4, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(answers[0].SessionKey)));
        Assert.False(await redis.Db.KeyExistsAsync(RouterRedisKeys.SessionLock(answers[0].SessionKey)));
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
        await redis.Db.StringSetAsync(RouterRedisKeys.SessionLock(baseKey), "dead-router-token", TimeSpan.FromMilliseconds(1500));

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
        await redis.Db.StringSetAsync(RouterRedisKeys.SessionLock(baseKey), "other-router", TimeSpan.FromSeconds(30));

        var answer = await router.TurnAsync(user, "급해요");

        Assert.Equal((AgentTexts.Busy, "busy"), (answer.Text, answer.Failure));
        await redis.Db.KeyDeleteAsync(RouterRedisKeys.SessionLock(baseKey));
    }

    [Fact]
    public async Task A_message_past_the_waiters_bound_of_a_busy_session_is_answered_busy_at_once()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin(timeoutSeconds: 20),
            settings: new Dictionary<string, string> { ["AgentRouter:MaxWaitersPerSession"] = "2" }).Started();
        var user = NewUser();
        var baseKey = $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}";
        await redis.Db.StringSetAsync(RouterRedisKeys.SessionLock(baseKey), "other-router", TimeSpan.FromSeconds(30));

        var waiting = new[] { router.TurnAsync(user, "하나"), router.TurnAsync(user, "둘") };
        await WaitUntilAsync(async () => await redis.Db.SortedSetLengthAsync(RouterRedisKeys.SessionLockWaiters(baseKey)) == 2, TimeSpan.FromSeconds(15));
        var clock = Stopwatch.StartNew();
        var third = await router.TurnAsync(user, "셋");

        // Not after the whole 20 s wait: at once, and the two waiting messages keep waiting.
        Assert.Equal((AgentTexts.Busy, "busy"), (third.Text, third.Failure));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.All(waiting, t => Assert.False(t.IsCompleted));
        await redis.Db.KeyDeleteAsync(RouterRedisKeys.SessionLock(baseKey));
        Assert.All(await Task.WhenAll(waiting), a => Assert.Null(a.Failure));
    }

    [Fact]
    public async Task Messages_waiting_for_a_busy_session_cost_Redis_about_one_command_a_second_and_start_when_it_is_released()
    {
        await using var counted = await RedisServer.StartAsync(countCommands: true);
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(counted.ConnectionString);
        var db = connection.GetDatabase();
        await using var router = new RouterFactory(counted.ConnectionString, Configs.Builtin(timeoutSeconds: 20)).Started();
        await router.TurnAsync(NewUser(), "준비");
        var user = NewUser();
        var baseKey = $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}";
        await db.StringSetAsync(RouterRedisKeys.SessionLock(baseKey), "other-router", TimeSpan.FromSeconds(60));

        var waiting = Enumerable.Range(1, 3).Select(i => router.TurnAsync(user, $"기다리는 메시지 {i}")).ToList();
        await WaitUntilAsync(async () => await db.SortedSetLengthAsync(RouterRedisKeys.SessionLockWaiters(baseKey)) == 3, TimeSpan.FromSeconds(15));
        // Each count waits for the server's next once-a-second sample, so the window is the time between the two answers.
        var before = await counted.CommandsProcessedAsync();
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(4));
        var during = await counted.CommandsProcessedAsync() - before;
        var seconds = window.Elapsed.TotalSeconds;

        // What the holding router does when its turn ends: delete its lock and announce it.
        await db.KeyDeleteAsync(RouterRedisKeys.SessionLock(baseKey));
        await connection.GetSubscriber().PublishAsync(StackExchange.Redis.RedisChannel.Literal(RouterRedisKeys.SessionLockReleasedChannel), RouterRedisKeys.SessionLock(baseKey));
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(waiting);

        // A look a second per waiter is 3 a second; polling every 100 ms would be 30. At most two a waiter a second passes.
        Assert.True(during <= 2 * 3 * seconds, $"{during} Redis commands in {seconds:F1} s for 3 waiting messages");
        Assert.All(answers, a => Assert.Null(a.Failure));
        // One after the other, each woken by the previous one's release rather than by the once-a-second look.
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task A_turn_whose_session_lock_was_taken_over_still_answers_but_adds_nothing_to_the_history()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Delay = TimeSpan.FromSeconds(2);
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        var user = NewUser();
        var baseKey = $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}";

        var turn = router.TurnAsync(user, "오래 걸리는 질문");
        await WaitUntilAsync(() => redis.Db.KeyExistsAsync(RouterRedisKeys.SessionLock(baseKey)));
        // The lock lapsed (a Redis outage longer than the lease) and the next message's turn took it.
        await redis.Db.StringSetAsync(RouterRedisKeys.SessionLock(baseKey), "next-turn", TimeSpan.FromSeconds(30));
        var answer = await turn;

        Assert.Null(answer.Failure);
        Assert.Equal(model.DefaultAnswer, answer.Text);
        Assert.Equal(0, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(answer.SessionKey)));
        Assert.Equal("next-turn", (string?)await redis.Db.StringGetAsync(RouterRedisKeys.SessionLock(baseKey)));
        Assert.Contains(router.Logs.Lines, l => l.Contains("lock", StringComparison.Ordinal) && l.Contains("lost", StringComparison.Ordinal));
        await redis.Db.KeyDeleteAsync(RouterRedisKeys.SessionLock(baseKey));
    }

    [Fact]
    public async Task A_Redis_blip_during_a_turn_does_not_end_the_renewal_of_its_session_lock()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Delay = TimeSpan.FromSeconds(17);
        // Only this router's connection goes through the proxy. The client's own timeouts stay at their defaults: what
        // turns the cut into failed renewals is the renewal's own deadline (a tenth of the lease, 1.5 s here). The lease is
        // the default 15 s rather than RouterFactory's 3 s, so the cut is long against the client's reconnects.
        await using var proxy = new CuttableTcpProxy(redis.Server.Port);
        var throughProxy = $"127.0.0.1:{proxy.Port},password={redis.Server.Password},abortConnect=false,connectTimeout=1000";
        await using var router = new RouterFactory(throughProxy, Configs.OpenAI(model.Endpoint, timeoutSeconds: 60),
            settings: new Dictionary<string, string> { ["AgentRouter:LockLease"] = "00:00:15" }).Started();
        var user = NewUser();
        var baseKey = $"agent:main:kakao:default:dm:{SessionKeys.EncodePeer(user)}";

        var turn = router.TurnAsync(user, "긴 질문");
        await WaitUntilAsync(() => redis.Db.KeyExistsAsync(RouterRedisKeys.SessionLock(baseKey)), TimeSpan.FromSeconds(15));
        var held = Stopwatch.StartNew();
        // The renewal due at 5 s (a third of the lease) finds Redis unreachable until 8 s, so it gets no answer by its
        // 6.5 s deadline; the tries every 1.5 s after it find Redis back long before the lease would lapse at 15 s.
        await Task.Delay(TimeSpan.FromSeconds(1));
        proxy.Cut(TimeSpan.FromSeconds(7));
        await Task.Delay(TimeSpan.FromSeconds(16) - held.Elapsed);

        // The fault happened, and the renewal went on after it (a renewal left in the client's backlog and run on
        // reconnect writes no such line; only the loop that kept trying does).
        var renewals = string.Join("\n", router.Logs.Lines.Where(l => l.Contains("ession lock", StringComparison.Ordinal)));
        var failed = router.Logs.Lines.ToList().FindIndex(l => l.Contains("Could not renew session lock", StringComparison.Ordinal));
        var renewedAgain = router.Logs.Lines.ToList().FindIndex(l => l.Contains("renewed again after", StringComparison.Ordinal));
        Assert.True(failed >= 0, $"no renewal failed during the cut:\n{renewals}");
        Assert.True(renewedAgain > failed, $"the renewal did not succeed again after the cut:\n{renewals}");
        // Past the 15 s lease: still held, so no other message can run a turn on this session meanwhile.
        Assert.True(await redis.Db.KeyExistsAsync(RouterRedisKeys.SessionLock(baseKey)), $"the lock lapsed after the blip:\n{renewals}");
        var answer = await turn;
        Assert.Null(answer.Failure);
        Assert.Equal(2, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(answer.SessionKey)));
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
        var stored = (string?)await redis.Db.StringGetAsync(RouterRedisKeys.TurnAnswer(turnId));
        var ttl = await redis.Db.KeyTimeToLiveAsync(RouterRedisKeys.TurnAnswer(turnId));
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
        await WaitUntilAsync(() => redis.Db.KeyExistsAsync(RouterRedisKeys.TurnRunning(turn.TurnId)));
        Assert.Equal(HttpStatusCode.Accepted, (await client.GetAsync($"/internal/turns/{turn.TurnId}")).StatusCode);
        (await running).EnsureSuccessStatusCode();
        var done = await client.GetAsync($"/internal/turns/{turn.TurnId}");
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains(model.DefaultAnswer, await done.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_delivered_answer_is_forgotten_and_a_late_copy_of_the_request_finds_nothing_to_show_twice()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        using var client = router.CreateClient();
        var turn = RouterFactory.Turn(NewUser(), "한 번만 보여 줘");
        (await router.PostTurnAsync(turn)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/internal/turns/{turn.TurnId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/internal/turns/{turn.TurnId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/internal/turns/{turn.TurnId}")).StatusCode);
        // Forgetting twice (a callback and a retry both delivered it) is harmless.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/internal/turns/{turn.TurnId}")).StatusCode);
    }

    [Fact]
    public async Task The_internal_turns_API_runs_nothing_for_a_caller_without_the_gateway_token()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        router.Started();
        var turn = RouterFactory.Turn(NewUser(), "토큰 없이");
        foreach (var bearer in new[] { null, "wrong-token" })
        {
            using var anonymous = router.Server.CreateClient();
            if (bearer is not null)
            {
                anonymous.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
            }
            using var response = await anonymous.PostAsync("/internal/turns/", System.Net.Http.Json.JsonContent.Create(turn));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("gateway.auth.token", body);
            Assert.DoesNotContain("wrong-token", body);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/internal/turns/{turn.TurnId}")).StatusCode);
        }
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task TurnKeepsRunningAndStoresItsAnswerWhenTheCallerStopsWaiting()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(model.Endpoint));
        // A first turn pays for the host's start and JIT: the caller's 300 ms below are the turn's own, even on a loaded
        // machine (a request given up before the router read its body never starts a turn).
        await router.TurnAsync(NewUser(), "준비");
        model.Delay = TimeSpan.FromSeconds(1.5);
        var turn = RouterFactory.Turn(NewUser(), "기다려 줄래?");
        var client = router.CreateClient();

        // The webhook gives up at its reply deadline; the answer must still be held for it.
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.PostAsync("/internal/turns/", System.Net.Http.Json.JsonContent.Create(turn), impatient.Token));

        await WaitUntilAsync(() => redis.Db.KeyExistsAsync(RouterRedisKeys.TurnAnswer(turn.TurnId)), TimeSpan.FromSeconds(10));
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
