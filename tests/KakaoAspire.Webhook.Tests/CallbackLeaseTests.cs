using System.Text.Json;
using KakaoAspire.Contracts;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Webhook.Deadline;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// The callback queue is in Redis under a lease, so a callback outlives the replica that acknowledged it, and a held
/// answer leaves the user's list only once Kakao accepted the POST that carried it.
/// </summary>
public sealed class CallbackLeaseTests(WebhookFixture fixture, ITestOutputHelper output) : IClassFixture<WebhookFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_callback_Kakao_refuses_leaves_the_answer_held_for_the_check_reply()
    {
        var user = Skill.NewUser();
        var token = "refuse-" + Guid.NewGuid().ToString("N");
        var (ack, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast,
            Skill.Payload(user, "slow:1200 거절될 콜백", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        Assert.True(ack.UseCallback);
        Assert.Single(await fixture.Kakao.WaitForAsync(token, Patience));

        var answer = await CheckAsync(user);

        Assert.Equal(["답변: slow:1200 거절될 콜백"], answer);
    }

    [Fact]
    public async Task A_callback_whose_POST_fails_leaves_the_answer_held_for_the_check_reply()
    {
        var user = Skill.NewUser();
        // Nothing listens there: the POST fails to connect.
        var deadUrl = $"http://127.0.0.1:{FreePort.Next()}/v1/bots/test-bot/callback/{Guid.NewGuid():N}";
        var (ack, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast, Skill.Payload(user, "slow:1200 닿지 않는 콜백", callbackUrl: deadUrl));
        Assert.True(ack.UseCallback);
        await using var redis = await ConnectAsync();
        Assert.True(await Eventually(async () => !await redis.GetDatabase().KeyExistsAsync(WebhookRedisKeys.Callback(TurnOf(await HeldAsync(redis, user))))),
            "the callback job never finished");

        Assert.Equal(["답변: slow:1200 닿지 않는 콜백"], await CheckAsync(user));
    }

    [Fact]
    public async Task A_callback_left_by_a_replica_that_died_is_posted_once_by_another_and_the_answer_leaves_the_held_list()
    {
        var user = Skill.NewUser();
        var token = Guid.NewGuid().ToString("N");
        await using var redis = await ConnectAsync();
        var turnId = await LeaveOrphanAsync(redis, user, token, answer: "죽은 복제본의 답");

        var posts = await fixture.Kakao.WaitForAsync(token, Patience);
        await Task.Delay(2500); // a second POST would come with the next sweeps

        Assert.Single(fixture.Kakao.For(token));
        Assert.Equal(["죽은 복제본의 답"], Skill.Texts(SkillJson.DeserializeResponse(posts[0].Body)!));
        Assert.Empty(await HeldAsync(redis, user));
        Assert.Contains(turnId, fixture.Router.Forgotten);
    }

    [Fact]
    public async Task A_replica_that_died_mid_POST_has_the_same_body_posted_again_and_Kakao_shows_it_once()
    {
        var user = Skill.NewUser();
        var token = Guid.NewGuid().ToString("N");
        await using var redis = await ConnectAsync();
        var body = SkillJson.Serialize(SkillResponse.Text("게시 중이던 본문"));
        await LeaveOrphanAsync(redis, user, token, answer: "게시 중이던 본문", postingBody: body);

        var posts = await fixture.Kakao.WaitForAsync(token, Patience);
        await Task.Delay(2500);

        Assert.Single(fixture.Kakao.For(token));
        Assert.Equal(body, posts[0].Body);
        Assert.Empty(await HeldAsync(redis, user));
    }

    [Fact]
    public async Task When_the_dead_replicas_POST_had_landed_Kakao_refuses_the_repeat_and_the_answer_is_kept_rather_than_lost()
    {
        var user = Skill.NewUser();
        var token = Guid.NewGuid().ToString("N");
        // The dead replica's POST reached Kakao (the token is used up) but it died before recording that.
        using (var http = new HttpClient())
        {
            (await http.PostAsync(fixture.Kakao.CallbackUrl(token), new StringContent("{}"))).Dispose();
        }
        await using var redis = await ConnectAsync();
        await LeaveOrphanAsync(redis, user, token, answer: "이미 닿았을지 모르는 답", postingBody: SkillJson.Serialize(SkillResponse.Text("이미 닿았을지 모르는 답")));

        Assert.True(await Eventually(() => Task.FromResult(fixture.Kakao.For(token).Count == 2)), "the body was never posted again");

        // Kakao showed one bubble; the answer stays held, so the user may read it twice but never misses it.
        Assert.True(await Eventually(async () => (await CheckAsync(user)).SequenceEqual(["이미 닿았을지 모르는 답"])));
    }

    [Fact]
    public async Task A_replica_that_stops_hands_its_waiting_callback_to_another_which_posts_the_answer_once()
    {
        var user = Skill.NewUser();
        var token = Guid.NewGuid().ToString("N");
        var stopping = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50));
        var (ack, _) = await Skill.AskAsync(stopping.CreateClient(), TestConfig.Fast,
            Skill.Payload(user, "slow:2500 넘겨받을 콜백", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        Assert.True(ack.UseCallback);
        await stopping.DisposeAsync();

        var posts = await fixture.Kakao.WaitForAsync(token, Patience);
        await Task.Delay(2500);

        Assert.Single(fixture.Kakao.For(token));
        Assert.Equal(["답변: slow:2500 넘겨받을 콜백"], Skill.Texts(SkillJson.DeserializeResponse(posts[0].Body)!));
        Assert.Equal(1, fixture.Router.RunsOf("slow:2500 넘겨받을 콜백"));
        await using var redis = await ConnectAsync();
        Assert.Empty(await HeldAsync(redis, user));
    }

    [Fact]
    public async Task Over_the_bound_of_pending_callbacks_the_request_gets_still_thinking_and_the_answer_stays_held()
    {
        var bounded = fixture.CreateFactory("Testing", TimeSpan.FromSeconds(50), new Dictionary<string, string> { ["Callbacks:MaxPending"] = "1" });
        var client = bounded.CreateClient();
        var (first, _) = await Skill.AskAsync(client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:4000 첫 콜백", callbackUrl: fixture.Kakao.CallbackUrl(Guid.NewGuid().ToString("N"))));
        var user = Skill.NewUser();
        // Well past the account's 1 s reply deadline: on a VM that loses the CPU for a few hundred ms at a time, a turn
        // only 200 ms longer than the deadline was sometimes done by the time the late deadline timer ran.
        var (second, _) = await Skill.AskAsync(client, TestConfig.Fast,
            Skill.Payload(user, "slow:2500 넘친 콜백", callbackUrl: fixture.Kakao.CallbackUrl(Guid.NewGuid().ToString("N"))));

        Assert.True(first.UseCallback);
        Assert.Null(second.UseCallback);
        Assert.Equal([SkillTexts.StillThinking], Skill.Texts(second));
        await fixture.Router.FinishedAsync("slow:2500 넘친 콜백", TimeSpan.FromSeconds(10));
        Assert.Equal(["답변: slow:2500 넘친 콜백"], await CheckAsync(user, client));
    }

    private async Task<IReadOnlyList<string>> CheckAsync(string user, HttpClient? client = null)
    {
        var (response, _) = await Skill.AskAsync(client ?? fixture.Client, TestConfig.Fast, Skill.Payload(user, SkillTexts.CheckLabel));
        output.WriteLine($"답변 확인 for {user}: {string.Join(" | ", Skill.Texts(response))}");
        return Skill.Texts(response);
    }

    /// <summary>
    /// What a replica killed after its ack leaves in Redis: the job under its (now expired) lease, the held answer, and
    /// the router's stored answer; with <paramref name="postingBody"/>, it died with the POST out.
    /// </summary>
    private async Task<string> LeaveOrphanAsync(ConnectionMultiplexer redis, string user, string token, string answer, string? postingBody = null)
    {
        var db = redis.GetDatabase();
        var turnId = Guid.CreateVersion7().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var job = new CallbackJob(TestConfig.Fast, user, turnId, fixture.Kakao.CallbackUrl(token), now.AddSeconds(-6), now.AddSeconds(-5));
        fixture.Router.Seed(new TurnResponse
        {
            TurnId = turnId, AgentId = "main", SessionKey = "agent:main:kakao:fast:dm:" + user, Text = answer,
        });
        await db.ListRightPushAsync(WebhookRedisKeys.HeldAnswers(TestConfig.Fast, user), turnId);
        HashEntry[] fields = postingBody is null
            ? [new("job", JsonSerializer.Serialize(job, JsonSerializerOptions.Web)), new("owner", "dead-replica")]
            : [new("job", JsonSerializer.Serialize(job, JsonSerializerOptions.Web)), new("owner", "dead-replica"),
               new("posting", "1"), new("mode", CallbackStore.AnswerMode), new("body", postingBody)];
        await db.HashSetAsync(WebhookRedisKeys.Callback(turnId), fields);
        await db.KeyExpireAsync(WebhookRedisKeys.Callback(turnId), TimeSpan.FromMinutes(2));
        await db.SortedSetAddAsync(WebhookRedisKeys.CallbackLeases, turnId, now.AddSeconds(-1).ToUnixTimeMilliseconds());
        return turnId;
    }

    private Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);

    private static async Task<IReadOnlyList<string>> HeldAsync(ConnectionMultiplexer redis, string user) =>
        (await redis.GetDatabase().ListRangeAsync(WebhookRedisKeys.HeldAnswers(TestConfig.Fast, user))).Select(v => v.ToString()).ToList();

    private static string TurnOf(IReadOnlyList<string> held) => held.Count == 1 ? held[0] : "(none)";

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}
