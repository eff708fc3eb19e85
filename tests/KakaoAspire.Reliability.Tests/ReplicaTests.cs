using System.Diagnostics;
using System.Net;
using StackExchange.Redis;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// Two replicas each of the webhook, the agent-router and friendtalk behind the orchestrator's load-balancing proxy:
/// duplicates are one agent run, a callback outlives the replica that acknowledged it, outbound sends are exactly once.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReplicaTests(ReplicaApp app, ITestOutputHelper output)
{
    /// <summary>Kakao's callback URL is valid for a minute after the request (docs/kakao-skill-protocol.md#callback).</summary>
    private static readonly TimeSpan KakaoCallbackLifetime = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Copies_of_one_request_spread_over_two_webhook_replicas_are_one_agent_run_and_one_answer()
    {
        using var client = app.Edge();
        var utterance = "복제본 중복 " + Guid.NewGuid().ToString("N")[..8];
        var answer = "복제본 한 번의 답 " + Guid.NewGuid().ToString("N")[..6];
        var payload = Skill.Payload(utterance, Skill.NewUser("Dup"));
        app.Control.AnswerWith(answer);
        app.Control.Delay = TimeSpan.FromSeconds(1.5);
        var before = app.CountPerInstance("webhook", "Skill request for account ctl answered in");
        try
        {
            // New connections each, so the proxy spreads them over both replicas.
            var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
            {
                using var own = app.Edge();
                return await Skill.PostAsync(own, "/kakao/ctl", payload);
            }));
            await Task.Delay(1500);
            var runs = app.Control.Requests.Count(r => r.Body["messages"]?.AsArray().LastOrDefault()?["content"]?.ToString() == utterance);
            var after = app.CountPerInstance("webhook", "Skill request for account ctl answered in");
            var perReplica = after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key));
            output.WriteLine($"10 copies: agent runs {runs}; answered per webhook replica: {string.Join(", ", perReplica.Select(p => $"{p.Key}={p.Value}"))}; " +
                $"max {replies.Max(r => r.Elapsed.TotalMilliseconds):F0} ms");

            Assert.Equal(1, runs);
            Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
            // The one answer, or "still thinking" when the one turn outlasts the reply deadline on a loaded machine (the
            // answer is then held once for the user); never a second, different answer.
            Assert.All(replies, r => Assert.Contains(r.FirstText, new[] { answer, Skill.StillThinking }));
        }
        finally
        {
            app.Control.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_callback_is_posted_exactly_once_within_Kakaos_minute_when_the_replica_that_acknowledged_it_is_killed()
    {
        using var client = app.Edge();
        var token = Guid.NewGuid().ToString("N");
        var answer = "살아남은 복제본이 보낸 답 " + Guid.NewGuid().ToString("N")[..6];
        app.Control.AnswerWith(answer);
        app.Control.Delay = TimeSpan.FromSeconds(10);
        var redis = await ConnectAsync();
        try
        {
            var sent = DateTimeOffset.UtcNow;
            var ack = await Skill.PostAsync(client, "/kakao/ctl", Skill.Payload("콜백으로 답해 주세요", Skill.NewUser("Kill"), app.Callbacks.UrlFor(token)));
            Assert.True(ack.UseCallback, ack.Raw);

            // The replica that acknowledged it owns the job in Redis; SIGKILL that process, nothing after runs.
            var (turnId, owner) = await OwnerOfAsync(redis, token);
            var pid = int.Parse(owner.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            Process.GetProcessById(pid).Kill();
            output.WriteLine($"killed webhook process {pid} ({owner}) {(DateTimeOffset.UtcNow - sent).TotalMilliseconds:F0} ms after the request; turn {turnId}");

            Assert.True(await Eventually.TrueAsync(() => app.Callbacks.For(token).Count > 0, KakaoCallbackLifetime),
                "no replica posted the callback");
            var first = app.Callbacks.For(token)[0];
            await Task.Delay(ReplicaApp.CallbackLease * 2); // a second POST would come with a later sweep
            var posts = app.Callbacks.For(token);
            var postedAfter = first.At - sent;
            output.WriteLine($"callback POSTs: {posts.Count}, the first {postedAfter.TotalSeconds:F1} s after the request (agent 10 s, lease {ReplicaApp.CallbackLease.TotalSeconds} s)");

            Assert.Single(posts);
            Assert.True(postedAfter < KakaoCallbackLifetime, $"posted {postedAfter.TotalSeconds:F1} s after the request");
            Assert.Equal(answer, first.Body?["template"]?["outputs"]?[0]?["simpleText"]?["text"]?.GetValue<string>());
            Assert.False(await redis.GetDatabase().KeyExistsAsync($"moltbot:callback:{turnId}"));
        }
        finally
        {
            app.Control.Delay = TimeSpan.Zero;
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Messages_accepted_while_two_senders_run_are_each_sent_exactly_once()
    {
        using var client = app.Edge(ReplicaApp.GatewayToken);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(await Outbound.AcceptAsync(client, $"010-5000-{i:D4}", $"두 발송기 {i}"));
        }
        var statuses = new List<string?>();
        foreach (var id in ids)
        {
            statuses.Add(await Outbound.WaitSentAsync(client, id, TimeSpan.FromSeconds(60)));
        }
        await Task.Delay(3000); // a second send would have arrived by now
        var perReplica = app.CountPerInstance("friendtalk", "Sent ");
        output.WriteLine($"30 messages: {statuses.Count(s => s is "sent" or "delivered")} sent; NHN accepted counts {string.Join(",", ids.Select(app.Nhn.AcceptedCount).Distinct())}; " +
            $"{app.Nhn.Sends.Count} send requests; log lines per sender replica: {string.Join(", ", perReplica.Select(p => $"{p.Key}={p.Value}"))}");

        Assert.All(statuses, s => Assert.Contains(s, new[] { "sent", "delivered" }));
        Assert.All(ids, id => Assert.Equal(1, app.Nhn.AcceptedCount(id)));
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var connection = await app.App.GetConnectionStringAsync("redis").AsTask().WaitAsync(ReliabilityApp.RequestTimeout);
        return await ConnectionMultiplexer.ConnectAsync(connection!).WaitAsync(ReliabilityApp.RequestTimeout);
    }

    /// <summary>The callback job whose URL carries <paramref name="token"/>, and the replica (host:pid:start) that owns it.</summary>
    private static async Task<(string TurnId, string Owner)> OwnerOfAsync(ConnectionMultiplexer redis, string token)
    {
        var db = redis.GetDatabase();
        foreach (var member in await db.SortedSetRangeByRankAsync("moltbot:callback:leases"))
        {
            var job = await db.HashGetAsync($"moltbot:callback:{member}", "job");
            if (job.HasValue && job.ToString().Contains(token, StringComparison.Ordinal))
            {
                return (member.ToString(), (await db.HashGetAsync($"moltbot:callback:{member}", "owner")).ToString());
            }
        }
        throw new Xunit.Sdk.XunitException("the acknowledged callback is not in Redis");
    }
}
