using KakaoAspire.FriendTalk.Tests.Support;
using Microsoft.Extensions.Options;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary><c>FriendTalk:Sender:MaxBatchRecipients</c>: how many recipients share one NHN request.</summary>
public sealed class BatchSizeTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task MaxBatchRecipientsCapsTheRecipientsOfEachNhnRequest()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await api.AcceptAsync($"010-5555-000{i}", $"묶음 {i}"));
        }

        var sender = harness.StartApp(settings: new Dictionary<string, string> { ["FriendTalk:Sender:MaxBatchRecipients"] = "2" });
        foreach (var id in ids)
        {
            await sender.WaitForStatusAsync(id, "sent");
        }

        var sizes = harness.Nhn.Sends.Select(s => s.Json!["recipientList"]!.AsArray().Count).Order().ToList();
        Assert.Equal([1, 2, 2], sizes);
        Assert.Equal(5, harness.Nhn.Accepted.Select(a => a.RecipientGroupingKey).Distinct().Count());
    }

    [Fact]
    public async Task OneRecipientPerRequestSendsEachMessageAlone()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await api.AcceptAsync($"010-6666-000{i}", "같은 내용"));
        }

        var sender = harness.StartApp(settings: new Dictionary<string, string> { ["FriendTalk:Sender:MaxBatchRecipients"] = "1" });
        foreach (var id in ids)
        {
            await sender.WaitForStatusAsync(id, "sent");
        }

        Assert.Equal(3, harness.Nhn.Sends.Count);
        Assert.All(harness.Nhn.Sends, s => Assert.Single(s.Json!["recipientList"]!.AsArray()));
        Assert.Equal(3, harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).Distinct().Count());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task AnOutOfRangeMaxBatchRecipientsStopsTheStartNamingTheSetting(string value)
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(settings: new Dictionary<string, string> { ["FriendTalk:Sender:MaxBatchRecipients"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => app.Client);
        Assert.Contains("FriendTalk:Sender:MaxBatchRecipients must be from 1 to 1000", error.Message, StringComparison.Ordinal);
    }
}
