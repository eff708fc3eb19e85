using System.Net;
using System.Text.Json.Nodes;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// The webhook, the agent-router and the sender (friendtalk) each killed (SIGKILL) mid-turn or mid-send and
/// started again through the orchestrator. No accepted outbound message is lost or sent twice; held answers still
/// reach the user.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ServiceKillTests(ReliabilityApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task WebhookKilledWhileAnAnswerIsHeldTheNextMessageGetsTheHeldAnswerFirst()
    {
        using var client = app.Edge();
        var user = Skill.NewUser("WebhookKill");
        var held = "보류된 답 " + Guid.NewGuid().ToString("N")[..6];
        app.Control.AnswerWith(held);
        app.Control.Delay = TimeSpan.FromSeconds(8);
        try
        {
            var linesBefore = app.Logs.TryGetValue("webhook", out var webhookLines) ? webhookLines.Count : 0;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var slow = await Skill.PostAsync(client, "/kakao/ctl", Skill.Payload("천천히 답해 주세요", user));
            Assert.Equal(Skill.StillThinking, slow.FirstText);
            // The still-thinking reply leaves 300 ms before replyDeadlineMs (4 s) by design: the deadline is held to the
            // webhook's own figure from arrival, and the client's clock (the edge's hop and a loaded machine on top) to
            // Kakao's 5 s, as SlowAgentTests does.
            IReadOnlyList<double> ServerSide() => Skill.ServerSideMs(app.Logs["webhook"].Skip(linesBefore), "ctl");
            Assert.True(await Eventually.TrueAsync(() => ServerSide().Count > 0, TimeSpan.FromSeconds(10)), "the webhook logged no line for the request");
            Assert.True(ServerSide()[0] < 4000, $"webhook answered in {ServerSide()[0]:F0} ms");
            Assert.True(slow.Elapsed < TimeSpan.FromSeconds(5), $"{slow.Elapsed.TotalMilliseconds:F0} ms at the client");
            app.Control.Delay = TimeSpan.Zero;

            await app.Faults.KillAsync("webhook");
            await app.Faults.StartAsync("webhook");
            // The router kept working on the turn while the webhook was away; its answer is in Redis 8 s after the message.
            var rest = TimeSpan.FromSeconds(9) - started.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            var next = await Skill.PostAsync(client, "/kakao/ctl", Skill.Payload("다음 메시지", user));
            output.WriteLine($"after the webhook restart: HTTP {(int)next.Status} in {next.Elapsed.TotalMilliseconds:F0} ms: {string.Join(" | ", Skill.Texts(next.Body))}");
            Assert.Equal(HttpStatusCode.OK, next.Status);
            Assert.Equal(held, next.FirstText);
            Assert.Equal(2, Skill.Texts(next.Body).Count);

            var again = await Skill.PostAsync(client, "/kakao/ctl", Skill.Payload("그다음 메시지", user));
            Assert.DoesNotContain(held, Skill.Texts(again.Body));
        }
        finally
        {
            app.Control.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task RouterKilledMidTurnAfterKakaoSendTheMessageIsSentOnceAndTheUserIsToldOnTheNextMessage()
    {
        using var client = app.Edge(ReliabilityApp.GatewayToken);
        var user = Skill.NewUser("RouterKill");
        var text = "라우터 중단 알림 " + Guid.NewGuid().ToString("N")[..6];
        // First model call: kakao_send to the account's agent recipient; second call: the answer, 6 s late each.
        app.Control.CallToolNext("kakao_send", new JsonObject { ["to"] = ReliabilityApp.AgentPhone, ["message"] = text })
            .AnswerWith("보냈어요");
        app.Control.Delay = TimeSpan.FromSeconds(6);
        var before = app.Control.Requests.Count;
        try
        {
            var first = await Skill.PostAsync(client, "/kakao/ctl", Skill.Payload("운영자에게 알려 줘", user));
            Assert.Equal(Skill.StillThinking, first.FirstText);
            // Kill the router while the model works on its second call, after kakao_send was accepted.
            Assert.True(await Eventually.TrueAsync(() => app.Control.Requests.Count >= before + 2, TimeSpan.FromSeconds(20)),
                "the model never got its second call");
            await app.Faults.KillAsync("agent-router");
            app.Control.Delay = TimeSpan.Zero;
            await app.Faults.StartAsync("agent-router");

            Assert.True(await Eventually.TrueAsync(() => app.Nhn.Accepted.Any(a => a.Content == text), TimeSpan.FromSeconds(30)),
                "the accepted kakao_send never reached NHN");
            var next = await Skill.PostAsync(client, "/kakao/ctl", Skill.Payload("어떻게 됐어?", user));
            await Task.Delay(3000); // a second NHN send would have arrived by now
            var accepted = app.Nhn.Accepted.Count(a => a.Content == text);
            output.WriteLine($"after the router kill: NHN accepted the kakao_send {accepted}x; next message HTTP {(int)next.Status} " +
                $"in {next.Elapsed.TotalMilliseconds:F0} ms: {string.Join(" | ", Skill.Texts(next.Body))}");
            Assert.Equal(1, accepted);
            Assert.Equal(HttpStatusCode.OK, next.Status);
            Assert.True(next.Elapsed < TimeSpan.FromSeconds(4));
            // The held turn died with the router: the user reads the polite failure first, then the new answer.
            var texts = Skill.Texts(next.Body);
            Assert.Equal(Skill.AgentFailed, texts[0]);
            Assert.Equal(2, texts.Count);
        }
        finally
        {
            app.Control.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task SenderKilledWhileNhnHasTheBatchEveryAcceptedMessageIsSentExactlyOnce()
    {
        using var client = app.Edge(ReliabilityApp.GatewayToken);
        // NHN takes 3 s to answer the next send: the sender dies before it hears that NHN accepted the message.
        app.Nhn.FailNext(FakeFailure.Slow(TimeSpan.FromSeconds(3)));
        var inFlight = await Outbound.AcceptAsync(client, "010-4000-0001", "보내는 도중에 멈춤");
        Assert.True(await Eventually.TrueAsync(() => app.Nhn.Sends.Any(s => s.Body.Contains(inFlight)), TimeSpan.FromSeconds(15)),
            "the send never reached NHN");
        await app.Faults.KillAsync("friendtalk");
        await Task.Delay(TimeSpan.FromSeconds(3.5)); // NHN accepts it while the sender is dead
        Assert.Equal(1, app.Nhn.AcceptedCount(inFlight));
        await app.Faults.StartAsync("friendtalk");
        var afterRestart = await Outbound.AcceptAsync(client, "010-4000-0002", "재시작 후 보냄");

        var inFlightStatus = await Outbound.WaitSentAsync(client, inFlight, TimeSpan.FromSeconds(60));
        var afterStatus = await Outbound.WaitSentAsync(client, afterRestart, TimeSpan.FromSeconds(30));
        await Task.Delay(3000);
        output.WriteLine($"after the sender kill: {inFlight} {inFlightStatus}, NHN accepted {app.Nhn.AcceptedCount(inFlight)}x " +
            $"in {app.Nhn.Sends.Count(s => s.Body.Contains(inFlight))} send requests; {afterRestart} {afterStatus}, accepted {app.Nhn.AcceptedCount(afterRestart)}x");
        Assert.Contains(inFlightStatus, new[] { "sent", "delivered" });
        Assert.Contains(afterStatus, new[] { "sent", "delivered" });
        Assert.Equal(1, app.Nhn.AcceptedCount(inFlight));
        Assert.Equal(1, app.Nhn.AcceptedCount(afterRestart));
    }
}
