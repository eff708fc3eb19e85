using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KakaoAspire.FriendTalk.Tests;

public sealed class NightWindowTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Kst = TimeSpan.FromHours(9);

    [Fact]
    public async Task AnAdInsideTheNightWindowIsScheduledForItsEndAndSentThen()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 22, 0, 0, Kst));
        var app = harness.StartApp(time: clock);

        using var response = await app.SendAsync(new { to = "010-1234-5678", message = "밤에 보낸 광고", accountId = "night", idempotencyKey = "n1", isAd = true });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("scheduled", (string?)body["status"]);
        var id = (string)body["messageId"]!;
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 8, 0, 0, Kst), DateTimeOffset.Parse((string)body["scheduledFor"]!, System.Globalization.CultureInfo.InvariantCulture));

        var status = await app.StatusAsync(id);
        Assert.Equal("scheduled", (string?)status["status"]);
        Assert.Contains("night window", (string?)status["reason"]);

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 7, 59, 0, Kst));
        await Task.Delay(500);
        Assert.Empty(harness.Nhn.Sends);

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 8, 0, 1, Kst));
        await WaitForSentWhileTimePasses(app, clock, id);
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
    }

    [Fact]
    public async Task AnAdReachingTheSenderInsideTheWindowWaitsForItsEnd()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 20, 49, 0, Kst));
        var api = harness.StartApp(sender: false, time: clock);
        // nightad: the account's outbound.isAd makes its sends ads by default.
        var id = await api.AcceptAsync("010-1234-5678", "창 직전", accountId: "nightad");
        Assert.Equal("accepted", (string?)(await api.StatusAsync(id))["status"]);
        await api.DisposeAsync();

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 26, 20, 51, 0, Kst));
        var app = harness.StartApp(time: clock);
        var status = await app.WaitForStatusAsync(id, "scheduled");
        Assert.StartsWith("2026-11-27T08:00:00", (string?)status["scheduledFor"]);
        Assert.Empty(harness.Nhn.Sends);

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 8, 0, 0, Kst));
        await app.WaitForStatusAsync(id, "sent");
    }

    [Fact]
    public async Task An_informational_message_at_night_goes_out_at_once()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 23, 0, 0, Kst));
        var app = harness.StartApp(time: clock);

        var id = await app.AcceptAsync("010-1234-5678", "주문하신 상품이 발송됐어요.", accountId: "night");

        var status = await WaitForSentWhileTimePasses(app, clock, id);
        Assert.Null(status["scheduledFor"]);
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        Assert.All(harness.Nhn.Sends, send => Assert.False((bool)JsonNode.Parse(send.Body)!["recipientList"]![0]!["isAd"]!));
    }

    [Fact]
    public async Task A_message_marked_not_an_ad_overrides_the_accounts_isAd_and_goes_at_night()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 23, 0, 0, Kst));
        var app = harness.StartApp(time: clock);

        using var informational = await app.SendAsync(new { to = "010-1234-5678", message = "예약 확인", accountId = "nightad", idempotencyKey = "i1", isAd = false });
        using var ad = await app.SendAsync(new { to = "010-1234-5678", message = "(광고) 할인", accountId = "nightad", idempotencyKey = "a1" });
        var informationalId = (string)JsonNode.Parse(await informational.Content.ReadAsStringAsync())!["messageId"]!;
        var adBody = JsonNode.Parse(await ad.Content.ReadAsStringAsync())!;

        await WaitForSentWhileTimePasses(app, clock, informationalId);
        Assert.Equal("scheduled", (string?)adBody["status"]);
        await Task.Delay(300);
        var sent = Assert.Single(harness.Nhn.Accepted);
        Assert.Equal("예약 확인", sent.Content);
    }

    [Fact]
    public async Task TheNightWindowAppliesToNhnOnlyNotToTheEventApi()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 23, 0, 0, Kst));
        var app = harness.StartApp(time: clock);
        var id = await app.AcceptAsync("kakao:botUserKey:u-1", "밤에도 이벤트", accountId: "night");
        await app.WaitForStatusAsync(id, "sent");
        Assert.Single(harness.Events.Accepted);
    }

    [Fact]
    public async Task WithoutANightWindowNightSendsGoAtOnce()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 23, 0, 0, Kst));
        var app = harness.StartApp(time: clock);
        var id = await app.AcceptAsync("010-1234-5678", "창 없음");
        await app.WaitForStatusAsync(id, "sent");
    }

    // The fake clock moves a second every 50 ms while waiting, so a retry after a slow provider call (its backoff runs
    // on this clock) still happens; a minute of waiting is 20 minutes of clock, well inside the night window.
    private static async Task<JsonObject> WaitForSentWhileTimePasses(FriendTalkApp app, FakeTimeProvider clock, string id)
    {
        using var stop = new CancellationTokenSource();
        var ticking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(50);
            }
        });
        try
        {
            return await app.WaitForStatusAsync(id, "sent", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await stop.CancelAsync();
            await ticking;
        }
    }
}
