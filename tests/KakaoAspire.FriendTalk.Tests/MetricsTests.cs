using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Metrics;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>What the dashboard shows of the outbound sender, from real sends through the fake NHN server.</summary>
public sealed class MetricsTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Accepted_sent_and_delivered_messages_are_counted_by_provider()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        using var messages = new MetricCollector<long>(app.Service<IMeterFactory>(), FriendTalkMetrics.MeterName, "kakao.outbound.messages");

        var id = await app.AcceptAsync("010-1234-5678", "측정용 메시지");
        await app.WaitForStatusAsync(id, "delivered");
        await messages.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(10));

        Assert.Equal(["accepted", "sent", "delivered"], States(messages, "default", "friendtalk-compat"));
    }

    [Fact]
    public async Task A_recipient_the_provider_refuses_and_an_undelivered_message_count_as_failed()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.RecipientResultCode = number => number.EndsWith("0002", StringComparison.Ordinal) ? -5000 : 0;
        harness.Nhn.Delivery = _ => ("FAILED", "3050");
        var app = harness.StartApp();
        using var messages = new MetricCollector<long>(app.Service<IMeterFactory>(), FriendTalkMetrics.MeterName, "kakao.outbound.messages");

        var refused = await app.AcceptAsync("010-0000-0002", "거절될 메시지", accountId: "brand");
        var undelivered = await app.AcceptAsync("010-0000-0003", "전달 안 될 메시지", accountId: "brand");
        await app.WaitForStatusAsync(refused, "failed");
        await app.WaitForStatusAsync(undelivered, "failed");
        await messages.WaitForMeasurementsAsync(5, TimeSpan.FromSeconds(10));

        Assert.Equal(["accepted", "accepted", "failed", "failed", "sent"], States(messages, "brand", "brand-message").Order());
    }

    [Fact]
    public async Task Queue_depth_oldest_age_and_daily_cap_use_are_gauges_per_account_and_the_queue_api_says_the_same()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        // No sender: what is accepted stays in the queue, as it would while NHN is down.
        var app = harness.StartApp(sender: false, settings: new Dictionary<string, string> { ["FriendTalk:Sender:QueueSampleInterval"] = "00:00:00.100" });
        var first = await app.AcceptAsync("010-1111-0001", "첫째");
        await app.AcceptAsync("010-1111-0002", "둘째");
        await app.AcceptAsync("010-1111-0003", "셋째");
        await app.AcceptAsync("010-1111-0004", "한도 계정", accountId: "capped");
        await Task.Delay(1100);

        using var depth = new MetricCollector<long>(app.Service<IMeterFactory>(), FriendTalkMetrics.MeterName, "kakao.outbound.queue.depth");
        using var age = new MetricCollector<double>(app.Service<IMeterFactory>(), FriendTalkMetrics.MeterName, "kakao.outbound.queue.oldest_age");
        using var capUsed = new MetricCollector<long>(app.Service<IMeterFactory>(), FriendTalkMetrics.MeterName, "kakao.outbound.daily_cap.used");
        using var capLimit = new MetricCollector<long>(app.Service<IMeterFactory>(), FriendTalkMetrics.MeterName, "kakao.outbound.daily_cap.limit");
        depth.RecordObservableInstruments();
        age.RecordObservableInstruments();
        capUsed.RecordObservableInstruments();
        capLimit.RecordObservableInstruments();

        Assert.Equal(3, Gauge(depth, "default", ("kakao.outbound.queue.state", "ready")));
        Assert.Equal(0, Gauge(depth, "default", ("kakao.outbound.queue.state", "scheduled")));
        Assert.Equal(1, Gauge(depth, "capped", ("kakao.outbound.queue.state", "ready")));
        Assert.InRange(Gauge(age, "default"), 1.0, 60);
        Assert.Equal("s", age.Instrument!.Unit);
        Assert.Equal(3, Gauge(capUsed, "default"));
        Assert.Equal(1, Gauge(capUsed, "capped"));
        Assert.Equal(2, Gauge(capLimit, "capped"));

        var report = JsonNode.Parse(await app.Client.GetStringAsync("/api/v1/queue"))!;
        var account = report["accounts"]!.AsArray().Single(a => (string?)a!["accountId"] == "default")!;
        Assert.Equal(3, (int)account["ready"]!);
        Assert.Equal(first, (string?)account["oldestWaitingId"]);
        Assert.Equal(3, (int)account["capUsed"]!);
        using var anonymous = app.CreateClient(null);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/queue")).StatusCode);
    }

    [Fact]
    public async Task Each_provider_call_is_a_span_with_provider_batch_size_and_result_code_but_no_key_or_number()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProviderTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        var app = harness.StartApp();

        var id = await app.AcceptAsync("010-7777-4321", "스팬 확인");
        await app.WaitForStatusAsync(id, "delivered");

        // The source is process-wide: other test classes' senders may add spans of their own, never with a key either.
        List<Activity> seen;
        lock (spans)
        {
            seen = [.. spans];
        }
        Assert.Contains(seen, s => s.DisplayName == "friendtalk-compat send" && (string?)s.GetTagItem("kakao.account_id") == "default"
            && Equals(s.GetTagItem("kakao.outbound.batch_size"), 1) && (string?)s.GetTagItem("kakao.outbound.result_code") == "0"
            && (string?)s.GetTagItem("kakao.outbound.outcome") == "accepted");
        Assert.Contains(seen, s => s.DisplayName == "friendtalk-compat delivery" && (string?)s.GetTagItem("kakao.outbound.result_code") == "1000");
        var everything = string.Join(" ", seen.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(seen.Select(s => $"{s.DisplayName} {s.StatusDescription}")));
        foreach (var secret in new[] { "01077774321", "7777-4321", FakeNhnServer.AppKey, FakeNhnServer.SecretKey, FakeNhnServer.SenderKey })
        {
            Assert.DoesNotContain(secret, everything);
        }
    }

    private static List<string> States(MetricCollector<long> collector, string account, string provider) =>
        [.. collector.GetMeasurementSnapshot()
            .Where(m => (string?)m.Tags[FriendTalkMetrics.AccountTag] == account && (string?)m.Tags[FriendTalkMetrics.ProviderTag] == provider)
            .Select(m => (string)m.Tags[FriendTalkMetrics.StateTag]!)];

    private static T Gauge<T>(MetricCollector<T> collector, string account, params (string Key, string Value)[] tags) where T : struct =>
        collector.GetMeasurementSnapshot()
            .Last(m => (string?)m.Tags[FriendTalkMetrics.AccountTag] == account && tags.All(t => (string?)m.Tags[t.Key] == t.Value))
            .Value;
}
