using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The status API adds each account's outbound queue, which it asks the friendtalk service for.</summary>
public sealed class StatusQueueTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task Status_shows_queue_depth_oldest_waiting_message_cap_use_and_the_last_errors_per_account()
    {
        await using var friendtalk = await StartFakeFriendTalkAsync();
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString))
        {
            await redis.GetDatabase().HashSetAsync(WebhookRedisKeys.AccountInbound(TestConfig.Fast),
                [new("lastError", "RedisTimeoutException"), new("lastErrorAt", "2026-01-02T03:04:05.0000000+00:00")]);
        }
        await using var webhook = fixture.Factory.WithWebHostBuilder(b => b.UseSetting("services:friendtalk:http:0", friendtalk.Urls.First()));
        using var client = webhook.CreateClient();

        var (status, json) = await GetStatusAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(json["queueError"]);
        var fast = json["accounts"]!.AsArray().Single(a => (string?)a!["id"] == TestConfig.Fast)!;
        Assert.Equal("RedisTimeoutException", (string?)fast["lastError"]);
        var queue = fast["queue"]!;
        Assert.Equal(2, (long)queue["ready"]!);
        Assert.Equal(1, (long)queue["sending"]!);
        Assert.Equal(4, (long)queue["scheduled"]!);
        Assert.Equal("msg_oldest", (string?)queue["oldestWaitingId"]);
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T12:00:00+09:00", System.Globalization.CultureInfo.InvariantCulture),
            (DateTimeOffset)queue["oldestWaitingSince"]!);
        Assert.Equal(7, (long)queue["capUsed"]!);
        Assert.Equal(1000, (int)queue["capLimit"]!);
        Assert.Equal("NHN refused the sender key (-1019)", (string?)queue["lastError"]);
    }

    [Fact]
    public async Task Status_still_answers_and_says_so_when_friendtalk_does_not()
    {
        await using var webhook = fixture.Factory.WithWebHostBuilder(b => b.UseSetting("services:friendtalk:http:0", "http://127.0.0.1:1"));
        using var client = webhook.CreateClient();

        var (status, json) = await GetStatusAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("friendtalk", (string?)json["queueError"]);
        Assert.Null(json["accounts"]![0]!["queue"]);
    }

    private static async Task<WebApplication> StartFakeFriendTalkAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        app.MapGet("/api/v1/queue", (HttpRequest request) => request.Headers.Authorization != $"Bearer {TestConfig.Token}"
            ? Results.Unauthorized()
            : Results.Json(new JsonObject
            {
                ["at"] = "2026-01-02T12:30:00+09:00",
                ["accounts"] = new JsonArray(new JsonObject
                {
                    ["accountId"] = TestConfig.Fast, ["ready"] = 2, ["sending"] = 1, ["scheduled"] = 4,
                    ["oldestWaitingId"] = "msg_oldest", ["oldestWaitingSince"] = "2026-01-02T12:00:00+09:00",
                    ["capUsed"] = 7, ["capLimit"] = 1000, ["lastError"] = "NHN refused the sender key (-1019)",
                    ["lastFailedAt"] = "2026-01-02T12:10:00.000+09:00",
                }),
            }));
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Json)> GetStatusAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.Authorization = new("Bearer", TestConfig.Token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
