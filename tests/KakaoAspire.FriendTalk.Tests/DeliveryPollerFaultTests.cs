using KakaoAspire.FriendTalk.Tests.Support;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>One message whose delivery query keeps failing must not spin the poller or hold up the others.</summary>
public sealed class DeliveryPollerFaultTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    public static TheoryData<string> Faults => ["not JSON", "wrongly typed field", "timeout"];

    private static FakeFailure Fault(string kind) => kind switch
    {
        "not JSON" => FakeFailure.Answer("<html>점검 중</html>"),
        "wrongly typed field" => FakeFailure.Answer("""{"header":{"resultCode":0},"message":{"messageStatus":5,"resultCode":"1000"}}"""),
        // HttpTimeout is 1 s in the harness.
        _ => FakeFailure.Slow(TimeSpan.FromSeconds(2)),
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_message_whose_delivery_query_fails_backs_off_alone_and_the_others_are_delivered(string kind)
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.DeliveryFault = a => a.RecipientNo == "01075000001" ? Fault(kind) : null;
        var app = harness.StartApp();
        // The bad one first: it is the first due poll every round.
        var bad = await app.AcceptAsync("010-7500-0001", "결과를 읽을 수 없는 메시지");
        await app.WaitForStatusAsync(bad, "sent");
        var good = await app.AcceptAsync("010-7500-0002", "평범한 메시지");

        await app.WaitForStatusAsync(good, "delivered");
        var queriesBefore = harness.Nhn.DeliveryQueries(bad);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var queries = harness.Nhn.DeliveryQueries(bad) - queriesBefore;

        // PollDelay is 100 ms: a loop without backoff asks dozens of times in 3 s; doubling waits ask a handful.
        Assert.InRange(queries, 0, 8);
        var status = await app.StatusAsync(bad);
        Assert.Equal("sent", (string?)status["status"]);
    }
}
