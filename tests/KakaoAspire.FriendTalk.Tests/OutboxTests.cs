using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.FriendTalk.Tests.Support;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>The development simulator's outbox: what it shows of the messages friendtalk accepted.</summary>
public sealed class OutboxTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_outbox_shows_the_newest_messages_first_however_many_were_accepted_before_them()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        var accepted = new List<string>();
        for (var i = 0; i < OutboundMessageStore.RecentKept + 20; i++)
        {
            accepted.Add(await app.AcceptAsync($"010-2000-{i:D4}", $"안내 {i}"));
        }

        var shown = await app.Service<OutboundMessageStore>().ListRecentAsync(OutboxApi.MaxItems);

        // The simulator shows the last messages sent, in the order a person expects: the newest on top.
        Assert.Equal(accepted.AsEnumerable().Reverse().Take(OutboxApi.MaxItems), shown.Select(m => m.Id));
        Assert.Equal($"안내 {OutboundMessageStore.RecentKept + 19}", shown[0].Message);
        Assert.Equal("accepted", shown[0].Status);
        // The list behind it stays bounded, whatever the volume sent.
        var db = await harness.RedisAsync();
        Assert.Equal(OutboundMessageStore.RecentKept, await db.ListLengthAsync(FriendTalkRedisKeys.OutboundRecent));
    }

    [Fact]
    public async Task A_message_whose_record_has_expired_is_left_out_of_the_outbox()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp(sender: false);
        var first = await app.AcceptAsync("010-2000-0001", "first");
        var second = await app.AcceptAsync("010-2000-0002", "second");
        var db = await harness.RedisAsync();
        await db.KeyDeleteAsync(FriendTalkRedisKeys.OutboundMessage(first));

        var shown = await app.Service<OutboundMessageStore>().ListRecentAsync(OutboxApi.MaxItems);

        Assert.Equal([second], shown.Select(m => m.Id));
    }
}
