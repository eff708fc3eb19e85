using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;

namespace KakaoAspire.Reliability.Tests;

/// <summary>Redis stopped and restarted while skill requests keep coming and an outbound send is in flight.</summary>
[Collection(ReliabilityCollection.Name)]
public sealed partial class RedisOutageTests(ReliabilityApp app, ITestOutputHelper output)
{
    private const int Users = 4;

    [GeneratedRegex("이전 메시지 (\\d+)개")]
    private static partial Regex History();

    [Fact]
    public async Task RedisStoppedAndRestartedDuringAStreamOfSkillRequestsEveryRequestIsAnsweredInTimeAndNothingIsLostOrDoubled()
    {
        using var client = app.Edge(ReliabilityApp.GatewayToken);
        var sessionUser = Skill.NewUser("RedisSession");
        await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("레디스 전 첫 메시지", sessionUser));
        var second = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("레디스 전 두 번째", sessionUser));
        Assert.Contains("이전 메시지 1개", second.FirstText);

        // An outbound send whose NHN call is in flight when Redis goes: NHN takes 4 s to answer it.
        var marker = "레디스-" + Guid.NewGuid().ToString("N")[..6];
        app.Nhn.FailNext(FakeFailure.Slow(TimeSpan.FromSeconds(4)));
        var inFlight = await Outbound.AcceptAsync(client, "010-3000-0001", marker + " 보내는 중");
        Assert.True(await Eventually.TrueAsync(() => app.Nhn.Sends.Any(s => s.Body.Contains(inFlight)), TimeSpan.FromSeconds(15)),
            "the send never reached NHN");
        var queued = await Outbound.AcceptAsync(client, "010-3000-0002", marker + " 대기 중");

        // A stream of skill requests from a few users, one after another each, for the whole outage.
        var replies = new ConcurrentQueue<(string Phase, SkillReply Reply)>();
        var phase = "before";
        using var stopStream = new CancellationTokenSource();
        var stream = Enumerable.Range(0, Users).Select(u => Task.Run(async () =>
        {
            var user = Skill.NewUser($"RedisStream{u}");
            for (var i = 0; !stopStream.IsCancellationRequested; i++)
            {
                replies.Enqueue((phase, await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload($"스트림 {u}-{i}", user))));
                await Task.Delay(100);
            }
        })).ToArray();

        await Task.Delay(1500);
        phase = "down";
        await app.Faults.StopAsync("redis");
        await Task.Delay(TimeSpan.FromSeconds(5)); // Redis stays away for 5 s while the stream goes on
        phase = "restarting";
        await app.Faults.StartAsync("redis");
        phase = "after";
        var recovered = await Eventually.TrueAsync(
            () => replies.Any(r => r.Phase == "after" && r.Reply.FirstText.Contains("기본 에이전트")), TimeSpan.FromSeconds(30));
        await Task.Delay(2000);
        await stopStream.CancelAsync();
        await Task.WhenAll(stream).WaitAsync(ReliabilityApp.RequestTimeout);

        var all = replies.ToList();
        foreach (var group in all.GroupBy(r => r.Phase))
        {
            output.WriteLine($"{group.Key}: {group.Count()} requests, {group.Count(r => r.Reply.Status == HttpStatusCode.OK)} HTTP 200, " +
                $"{group.Count(r => r.Reply.FirstText == Skill.AgentFailed)} polite failures, " +
                $"max {group.Max(r => r.Reply.Elapsed.TotalMilliseconds):F0} ms, p50 {Percentile(group, 0.5):F0} ms");
        }
        Assert.True(recovered, "no real answer after Redis came back");
        Assert.All(all, r => Assert.True(r.Reply.Status == HttpStatusCode.OK, $"{r.Phase}: HTTP {(int)r.Reply.Status} {r.Reply.Raw}"));
        Assert.All(all, r => Assert.True(r.Reply.Elapsed < TimeSpan.FromMilliseconds(4000),
            $"{r.Phase}: answered after {r.Reply.Elapsed.TotalMilliseconds:F0} ms"));
        Assert.Contains(all, r => r.Phase == "down");

        // The session continues where it was: the agent sees both earlier turns.
        var continued = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("레디스 후 세 번째", sessionUser));
        output.WriteLine($"session after the outage: {continued.FirstText}");
        Assert.Equal("2", History().Match(continued.FirstText).Groups[1].Value);

        // Each accepted send reaches NHN exactly once.
        var inFlightStatus = await Outbound.WaitSentAsync(client, inFlight, TimeSpan.FromSeconds(60));
        var queuedStatus = await Outbound.WaitSentAsync(client, queued, TimeSpan.FromSeconds(60));
        await Task.Delay(3000); // a duplicate would have arrived by now
        output.WriteLine($"outbound: in-flight {inFlight} {inFlightStatus}, NHN accepted {app.Nhn.AcceptedCount(inFlight)}; " +
            $"queued {queued} {queuedStatus}, NHN accepted {app.Nhn.AcceptedCount(queued)}; NHN send requests carrying them {app.Nhn.Sends.Count(s => s.Body.Contains(inFlight) || s.Body.Contains(queued))}");
        Assert.Contains(inFlightStatus, new[] { "sent", "delivered" });
        Assert.Contains(queuedStatus, new[] { "sent", "delivered" });
        Assert.Equal(1, app.Nhn.AcceptedCount(inFlight));
        Assert.Equal(1, app.Nhn.AcceptedCount(queued));
    }

    private static double Percentile(IEnumerable<(string Phase, SkillReply Reply)> replies, double p)
    {
        var sorted = replies.Select(r => r.Reply.Elapsed.TotalMilliseconds).Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
    }
}
