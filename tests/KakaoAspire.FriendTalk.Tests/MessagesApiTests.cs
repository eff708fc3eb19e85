using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Tests.Support;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Tests;

public sealed class MessagesApiTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task SendingWithoutOrWithAWrongTokenIsRefusedWithHowToSetOne()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        foreach (var token in new[] { null, "wrong" })
        {
            using var client = app.CreateClient(token);
            using var response = await client.PostAsJsonAsync("/api/v1/messages", new { to = "010-1234-5678", message = "hi", idempotencyKey = "k" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("gateway.auth.token", await response.Content.ReadAsStringAsync());
        }
        Assert.Empty(harness.Nhn.Requests);
    }

    [Fact]
    public async Task AnUnknownMessageIs404NoSuchMessageAnd401WithoutTheToken()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        using var anonymous = app.CreateClient(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/messages/nope")).StatusCode);
        using var response = await app.Client.GetAsync("/api/v1/messages/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such message", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnInvalidSendIs400NamingEachFieldAndItsFix()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        using var response = await app.SendAsync(new { to = "02-123-4567", message = "", idempotencyKey = "k" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("010-1234-5678", errors["to"]![0]!.GetValue<string>());
        Assert.Contains("required", errors["message"]![0]!.GetValue<string>());

        using var notJson = await app.Client.PostAsync("/api/v1/messages", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task MissingProviderKeysAre400NamingTheConfigKey()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        using var response = await app.SendAsync(new { to = "010-1234-5678", message = "hi", accountId = "nokeys", idempotencyKey = "k" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("channels.kakao.accounts.nokeys.toastSecretKey", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PastTheDailyCapTheAnswerIs429WithWhenItResets()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        await app.AcceptAsync("010-1111-0001", "one", accountId: "capped");
        await app.AcceptAsync("010-1111-0002", "two", accountId: "capped");
        using var response = await app.SendAsync(new { to = "010-1111-0003", message = "three", accountId = "capped", idempotencyKey = "k3" });
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var resetsAt = DateTimeOffset.Parse(body["resetsAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(9), resetsAt.Offset);
        Assert.Equal(TimeSpan.Zero, resetsAt.TimeOfDay);
        Assert.True(resetsAt > DateTimeOffset.UtcNow && resetsAt <= DateTimeOffset.UtcNow.AddDays(1));
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("dailyCap", body["detail"]!.GetValue<string>());

        // Another account has its own cap.
        await app.AcceptAsync("010-1111-0003", "three");
    }

    [Fact]
    public async Task Sends_refused_at_the_daily_cap_are_not_counted_and_the_days_count_expires_after_its_KST_day()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        await app.AcceptAsync("010-1111-0001", "one", accountId: "capped");
        await app.AcceptAsync("010-1111-0002", "two", accountId: "capped");
        for (var i = 3; i <= 4; i++)
        {
            using var refused = await app.SendAsync(new { to = $"010-1111-000{i}", message = "over", accountId = "capped", idempotencyKey = $"over{i}" });
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        var now = DateTimeOffset.UtcNow;
        var key = FriendTalkRedisKeys.OutboundDailyCount("capped", Kst.Day(now));
        Assert.Equal(2, (long)await redis.Db.StringGetAsync(key));
        // Until an hour past the next KST midnight, so the count never outlives its day by more than that.
        var ttl = (await redis.Db.KeyTimeToLiveAsync(key))!.Value;
        Assert.InRange(ttl, Kst.NextMidnight(now) - now, Kst.NextMidnight(now) - now + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AnAcceptedMessageIs202WithItsIdAndOutCountsAreRecorded()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        using var response = await app.SendAsync(new { channel = "kakao", to = "+82 10-1234-5678", message = "hi", idempotencyKey = "run-1" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = body["messageId"]!.GetValue<string>();
        Assert.Equal($"/api/v1/messages/{id}", response.Headers.Location?.ToString());
        Assert.Equal("accepted", body["status"]!.GetValue<string>());
        Assert.Equal("friendtalk-compat", body["provider"]!.GetValue<string>());
        Assert.Equal("run-1", body["runId"]!.GetValue<string>());

        var status = await app.StatusAsync(id);
        Assert.Equal("accepted", (string?)status["status"]);
        Assert.Equal("*******5678", (string?)status["to"]);

        var db = await harness.RedisAsync();
        Assert.Equal("1", (string?)await db.HashGetAsync(FriendTalkRedisKeys.OutboundStats("default"), "accepted"));
        Assert.False((await db.HashGetAsync(FriendTalkRedisKeys.OutboundStats("default"), "lastAcceptedAt")).IsNullOrEmpty);
    }
}
