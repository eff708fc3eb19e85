using System.Net;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Tests.Support;
using KakaoAspire.TestSupport;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>A proactive message longer than the provider takes, against the fake NHN server.</summary>
public sealed class SplitSendTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static string LongText(int paragraphs) =>
        string.Join("\n\n", Enumerable.Range(1, paragraphs).Select(i => $"[{i}] " + new string('가', 450)));

    private static async Task<JsonObject> Accepted(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task A_message_longer_than_friend_talk_takes_arrives_as_ordered_parts_each_with_its_own_key()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var text = LongText(6);

        var body = await Accepted(await app.SendAsync(new { to = "010-1234-5678", message = text, idempotencyKey = "weekly-report" }));

        var parts = body["parts"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal(parts[0], (string?)body["messageId"]);
        foreach (var id in parts)
        {
            await app.WaitForStatusAsync(id, "sent");
        }
        var contents = harness.Nhn.Accepted.Select(a => a.Content!).ToList();
        Assert.Equal(3, contents.Count);
        Assert.All(contents, c => Assert.True(c.Length <= 1000, $"{c.Length}"));
        Assert.Equal(["[1]", "[3]", "[5]"], contents.Select(c => c[..3]));
        Assert.Equal(text.Replace("\n", ""), string.Concat(contents).Replace("\n", ""));
        // One provider request per part, one after another: the next is queued only when the one before is sent.
        Assert.Equal(3, harness.Nhn.Sends.Count);

        var db = await harness.RedisAsync();
        var keys = new List<string>();
        foreach (var id in parts)
        {
            keys.Add((string)(await db.HashGetAsync(FriendTalkRedisKeys.OutboundMessage(id), "idempotencyKey"))!);
        }
        Assert.Equal(["weekly-report#1", "weekly-report#2", "weekly-report#3"], keys);
    }

    [Fact]
    public async Task Retrying_a_split_message_with_the_same_key_sends_nothing_again()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var request = new { to = "010-1234-5678", message = LongText(4), idempotencyKey = "retry-me" };

        var first = await Accepted(await app.SendAsync(request));
        var again = await Accepted(await app.SendAsync(request));

        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        foreach (var id in first["parts"]!.AsArray())
        {
            await app.WaitForStatusAsync((string)id!, "sent");
        }
        await Task.Delay(300);
        Assert.Equal(2, harness.Nhn.Accepted.Count);
    }

    [Fact]
    public async Task A_part_that_must_be_retried_still_arrives_before_the_next()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Status(503), FakeFailure.Status(503));
        var app = harness.StartApp();

        var body = await Accepted(await app.SendAsync(new { to = "010-1234-5678", message = LongText(4), idempotencyKey = "flaky" }));

        var parts = body["parts"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Equal("accepted", (string?)(await app.StatusAsync(parts[1]))["status"]);
        foreach (var id in parts)
        {
            await app.WaitForStatusAsync(id, "sent");
        }
        Assert.Equal(["[1]", "[3]"], harness.Nhn.Accepted.Select(a => a.Content![..3]));
    }

    [Fact]
    public async Task Every_part_counts_against_the_daily_cap_and_a_message_that_does_not_fit_is_refused_whole()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);

        // capped: dailyCap 2; three parts do not fit, and none of them is accepted.
        using var tooMany = await app.SendAsync(new { to = "010-1234-5678", message = LongText(6), accountId = "capped", idempotencyKey = "c1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);

        var two = await Accepted(await app.SendAsync(new { to = "010-1234-5678", message = LongText(4), accountId = "capped", idempotencyKey = "c2" }));
        Assert.Equal(2, two["parts"]!.AsArray().Count);
    }
}
