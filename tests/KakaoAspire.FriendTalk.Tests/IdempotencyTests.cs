using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Tests.Support;

namespace KakaoAspire.FriendTalk.Tests;

public sealed class IdempotencyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task AReplayAfterSuccessReturnsTheSameAnswerAndCallsNhnOnce()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var body = new { to = "010-1234-5678", message = "회의 10분 전", idempotencyKey = "same-key" };
        using var first = await app.SendAsync(body);
        var firstText = await first.Content.ReadAsStringAsync();
        var id = JsonNode.Parse(firstText)!["messageId"]!.GetValue<string>();
        await app.WaitForStatusAsync(id, "delivered");

        using var replay = await app.SendAsync(body);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(firstText, await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        await Task.Delay(300);
        Assert.Single(harness.Nhn.Sends);
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
    }

    [Fact]
    public async Task TheHeaderKeyAndTheBodyKeyAreTheSameKey()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        using var viaHeader = await app.SendAsync(new { to = "010-1234-5678", message = "hi" }, idempotencyKeyHeader: "k-1");
        using var viaBody = await app.SendAsync(new { to = "010-1234-5678", message = "hi", idempotencyKey = "k-1" });
        Assert.Equal(await viaHeader.Content.ReadAsStringAsync(), await viaBody.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConcurrentDuplicatesGetOneMessageAndOneProviderCall()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var body = new { to = "010-1234-5678", message = "동시에", idempotencyKey = "racing-key" };
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.SendAsync(body)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => JsonNode.Parse(await r.Content.ReadAsStringAsync())!["messageId"]!.GetValue<string>()));
        var id = Assert.Single(ids.Distinct());
        await app.WaitForStatusAsync(id, "delivered");
        Assert.Single(harness.Nhn.Sends);
        Assert.Single(harness.Nhn.Accepted);
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
    }

    [Fact]
    public async Task TheSameKeyWithADifferentBodyIs422()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        await app.AcceptAsync("010-1234-5678", "첫 번째", key: "reused");
        using var response = await app.SendAsync(new { to = "010-1234-5678", message = "두 번째", idempotencyKey = "reused" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("new key", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RecordsAreKeptAtLeast24Hours()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        await app.AcceptAsync("010-1234-5678", "hi", key: "kept");
        var db = await harness.RedisAsync();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("kept")));
        var ttl = await db.KeyTimeToLiveAsync(FriendTalkRedisKeys.OutboundIdempotency(hash));
        Assert.True(ttl >= TimeSpan.FromHours(24), $"TTL {ttl}");
    }
}
