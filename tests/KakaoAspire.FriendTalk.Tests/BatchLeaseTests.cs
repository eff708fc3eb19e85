using KakaoAspire.FriendTalk.Sending;
using KakaoAspire.FriendTalk.Tests.Support;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>A batch's lease: only its holder writes the outcome, and a batch that keeps throwing ends, failed with the reason.</summary>
public sealed class BatchLeaseTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_sender_that_stalls_past_its_lease_cannot_record_the_batch_over_the_replica_that_took_it_over()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        // Past the 3 s lease, with the call already made: another replica takes the batch over meanwhile.
        var stall = new PauseAt(SendFaultPoint.AfterProviderCall, TimeSpan.FromSeconds(6));
        var stalled = harness.StartApp(faults: stall);
        var id = await stalled.AcceptAsync("010-7300-0001", "한 번만 세기");
        await stall.Reached.WaitAsync(Patience);
        var other = harness.StartApp();

        await other.WaitForStatusAsync(id, "sent", Patience);
        await stall.Resumed.WaitAsync(Patience);
        // The stalled worker's own commit runs right after it resumes.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var db = await harness.RedisAsync();
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        // What `moltbot kakao status` counts: one message sent once, not twice.
        Assert.Equal("1", (string?)await db.HashGetAsync(AccountOutboundActivity.Key("default"), "count"));
        Assert.Equal("1", (string?)await db.HashGetAsync(FriendTalkRedisKeys.OutboundStats("default"), "sent"));
    }

    [Fact]
    public async Task A_batch_that_keeps_throwing_is_failed_with_the_reason_after_MaxAttempts_and_not_taken_up_again()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        // A 200 whose resultCode is not a number: reading it throws, every time.
        harness.Nhn.FailNext([.. Enumerable.Repeat(FakeFailure.Answer("""{"header":{"resultCode":"zero","isSuccessful":true}}"""), 20)]);
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-7400-0001", "읽을 수 없는 답");

        var status = await app.WaitForStatusAsync(id, "failed", Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // MaxAttempts is 4 in the harness: four tries, then the message says why it stopped.
        Assert.Contains("failed on this batch 4 times", (string?)status["reason"]);
        Assert.Equal(4, harness.Nhn.Sends.Count);
        var db = await harness.RedisAsync();
        Assert.Equal(0, await db.SortedSetLengthAsync(FriendTalkRedisKeys.OutboundLeases));
    }
}
