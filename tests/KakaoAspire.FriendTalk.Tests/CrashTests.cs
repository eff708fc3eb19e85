using KakaoAspire.FriendTalk.Sending;
using KakaoAspire.FriendTalk.Tests.Support;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>
/// The sender is stopped at a fault point (it blocks there and the host stops, so nothing after the point runs);
/// a new instance on the same Redis must then send each accepted message exactly once.
/// </summary>
public sealed class CrashTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StoppedAfterAcceptEveryMessageIsSentOnceAfterRestart()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new[]
        {
            await api.AcceptAsync("010-6000-0001", "하나"),
            await api.AcceptAsync("010-6000-0002", "둘"),
            await api.AcceptAsync("kakao:botUserKey:u-6", "셋"),
        };
        await api.DisposeAsync();
        Assert.Empty(harness.Nhn.Requests);

        var app = harness.StartApp();
        foreach (var id in ids)
        {
            await app.WaitForStatusAsync(id, "sent", Patience);
        }
        Assert.Equal(1, harness.Nhn.AcceptedCount(ids[0]));
        Assert.Equal(1, harness.Nhn.AcceptedCount(ids[1]));
        Assert.Single(harness.Events.Accepted);
    }

    [Theory]
    [InlineData(SendFaultPoint.AfterClaim)]
    [InlineData(SendFaultPoint.AfterPersist)]
    public async Task StoppedBeforeTheCallTheBatchIsTakenUpAgainAndSentOnce(SendFaultPoint point)
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new[] { await api.AcceptAsync("010-7000-0001", "하나"), await api.AcceptAsync("010-7000-0002", "둘") };
        await api.DisposeAsync();

        var stop = new StopAt(point);
        var crashing = harness.StartApp(faults: stop);
        _ = crashing.Client;
        await stop.Reached.WaitAsync(Patience);
        await crashing.DisposeAsync();
        Assert.Empty(harness.Nhn.Sends);

        var app = harness.StartApp();
        foreach (var id in ids)
        {
            await app.WaitForStatusAsync(id, "sent", Patience);
            Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        }
        var send = Assert.Single(harness.Nhn.Sends);
        Assert.Equal(2, send.Json!["recipientList"]!.AsArray().Count);
    }

    [Fact]
    public async Task StoppedAfterTheNhnCallBeforeRecordingTheIdenticalBatchIsResentAndReconciledNotSentTwice()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new[] { await api.AcceptAsync("010-8000-0001", "하나"), await api.AcceptAsync("010-8000-0002", "둘") };
        await api.DisposeAsync();

        var stop = new StopAt(SendFaultPoint.AfterProviderCall);
        var crashing = harness.StartApp(faults: stop);
        _ = crashing.Client;
        await stop.Reached.WaitAsync(Patience);
        await crashing.DisposeAsync();
        Assert.All(ids, id => Assert.Equal(1, harness.Nhn.AcceptedCount(id)));
        var firstRequestId = harness.Nhn.Accepted[0].RequestId;

        var app = harness.StartApp();
        foreach (var id in ids)
        {
            var status = await app.WaitForStatusAsync(id, "sent", Patience);
            Assert.Equal(firstRequestId, (string?)status["providerRequestId"]);
            Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        }
        // The resend was byte-identical with the same key, so NHN answered -1005 and the result query settled it.
        Assert.Equal(2, harness.Nhn.Sends.Count);
        Assert.Equal(harness.Nhn.Sends[0].Body, harness.Nhn.Sends[1].Body);
        Assert.Single(harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).Distinct());
        Assert.Contains(harness.Nhn.Requests, r => r.Method == "GET" && r.Query.Contains("senderGroupingKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppedAfterTheNhnCallAndPastTheKeyWindowTheOutcomeComesFromTheResultQueryWithoutAResend()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var window = new Dictionary<string, string> { ["FriendTalk:Sender:IdempotencyWindow"] = "00:00:01" };
        var stop = new StopAt(SendFaultPoint.AfterProviderCall);
        var crashing = harness.StartApp(faults: stop, settings: window);
        var id = await crashing.AcceptAsync("010-8100-0001", "창 지난 뒤");
        await stop.Reached.WaitAsync(Patience);
        await crashing.DisposeAsync();
        await Task.Delay(1200);

        var app = harness.StartApp(settings: window);
        await app.WaitForStatusAsync(id, "sent", Patience);
        Assert.Single(harness.Nhn.Sends);
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
    }

    [Fact]
    public async Task StoppedAfterAnEventApiCallTheMessageIsFailedAsUnknownAndNeverResent()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var stop = new StopAt(SendFaultPoint.AfterProviderCall);
        var crashing = harness.StartApp(faults: stop);
        var id = await crashing.AcceptAsync("kakao:botUserKey:u-9", "이벤트");
        await stop.Reached.WaitAsync(Patience);
        await crashing.DisposeAsync();

        var app = harness.StartApp();
        var status = await app.WaitForStatusAsync(id, "failed", Patience);
        Assert.Contains("sender stopped during the call", (string?)status["reason"]);
        Assert.Single(harness.Events.Requests);
    }

    [Fact]
    public async Task TwoReplicasShareTheQueueAndSendEachMessageOnce()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var first = harness.StartApp();
        var second = harness.StartApp();
        var accepts = Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? first : second).AcceptAsync($"010-9100-{i:D4}", $"메시지 {i}"));
        var ids = await Task.WhenAll(accepts);

        foreach (var id in ids)
        {
            await first.WaitForStatusAsync(id, "sent", Patience);
        }
        Assert.All(ids, id => Assert.Equal(1, harness.Nhn.AcceptedCount(id)));
        Assert.Equal(60, harness.Nhn.Accepted.Count);
    }

    [Fact]
    public async Task AcceptedMessagesSurviveRedisBeingKilledAndRestarted()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new[] { await api.AcceptAsync("010-9200-0001", "하나"), await api.AcceptAsync("010-9200-0002", "둘") };
        await api.DisposeAsync();

        harness.Redis.Kill();
        await harness.Redis.RestartAsync();

        var app = harness.StartApp();
        foreach (var id in ids)
        {
            await app.WaitForStatusAsync(id, "sent", Patience);
            Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        }
    }
}
