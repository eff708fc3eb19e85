using KakaoAspire.FriendTalk.Tests.Support;

namespace KakaoAspire.FriendTalk.Tests;

/// <summary>Sends against the fake NHN and Kakao servers: what goes on the wire and what the status shows.</summary>
public sealed class ProviderTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task FriendTalkCompatSendsWithTheCompatHeadersAndIsPolledToDelivered()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var id = await app.AcceptAsync("+82 10-1234-5678", "[몰트봇] 회의가 곧 시작돼요");

        var status = await app.WaitForStatusAsync(id, "delivered");
        var send = Assert.Single(harness.Nhn.Sends);
        Assert.Equal($"/friendtalk/v2.4/appkeys/{FakeNhnServer.AppKey}/messages", send.Path);
        Assert.Equal(FakeNhnServer.SecretKey, send.Header("X-Secret-Key"));
        Assert.Equal("true", send.Header("X-Convert-To-Brand-Message"));
        Assert.False(string.IsNullOrEmpty(send.Header("X-NC-API-IDEMPOTENCY-KEY")));
        var recipient = send.Json!["recipientList"]![0]!;
        Assert.Equal("01012345678", (string?)recipient["recipientNo"]);
        Assert.Equal(id, (string?)recipient["recipientGroupingKey"]);
        Assert.False((bool)recipient["isAd"]!);
        Assert.Equal(FakeNhnServer.SenderKey, (string?)send.Json!["senderKey"]);

        Assert.Equal(harness.Nhn.Accepted.Single().RequestId, (string?)status["providerRequestId"]);
        Assert.Equal("1000", (string?)status["providerCode"]);
        Assert.NotNull(status["sentAt"]);
        Assert.NotNull(status["deliveredAt"]);
        Assert.Contains(harness.Nhn.Requests, r => r.Method == "GET" && r.Path.EndsWith("/1", StringComparison.Ordinal));

        var db = await harness.RedisAsync();
        Assert.Equal("1", (string?)await db.HashGetAsync(FriendTalkRedisKeys.OutboundStats("default"), "sent"));
        Assert.Equal("1", (string?)await db.HashGetAsync(FriendTalkRedisKeys.OutboundStats("default"), "delivered"));
        Assert.Equal("1", (string?)await db.HashGetAsync(AccountOutboundActivity.Key("default"), "count"));
        var lastAt = DateTimeOffset.Parse((string)(await db.HashGetAsync(AccountOutboundActivity.Key("default"), "lastAt"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(DateTimeOffset.UtcNow - lastAt < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task BrandMessageSendsFreeFormWithSharedContentAndFriendTargeting()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-9999-0000", "브랜드 메시지", accountId: "brand");

        await app.WaitForStatusAsync(id, "delivered");
        var send = Assert.Single(harness.Nhn.Sends);
        Assert.Equal($"/brand-message/v1.0/appkeys/{FakeNhnServer.AppKey}/freestyle-messages", send.Path);
        Assert.Equal("TEXT", (string?)send.Json!["chatBubbleType"]);
        Assert.Equal("브랜드 메시지", (string?)send.Json!["content"]);
        Assert.Equal("I", (string?)send.Json!["recipientList"]![0]!["targeting"]);
        Assert.Equal(id, (string?)send.Json!["recipientList"]![0]!["recipientGroupingKey"]);
        Assert.Null(send.Header("X-Convert-To-Brand-Message"));
    }

    [Fact]
    public async Task TheEventApiSendsToTheBotUserWithKakaoAkAndTheEventName()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        var id = await app.AcceptAsync("kakao:user:bot-user-1", "이벤트로 보내요");

        var status = await app.WaitForStatusAsync(id, "sent");
        var request = Assert.Single(harness.Events.Requests);
        Assert.Equal($"/v2/bots/{FakeKakaoEventApi.BotId}/talk", request.Path);
        Assert.Equal($"KakaoAK {FakeKakaoEventApi.AdminKey}", request.Header("Authorization"));
        Assert.Equal("moltbot_push", (string?)request.Json!["event"]!["name"]);
        Assert.Equal("이벤트로 보내요", (string?)request.Json!["event"]!["data"]!["text"]);
        Assert.Equal("botUserKey", (string?)request.Json!["user"]![0]!["type"]);
        Assert.Equal("bot-user-1", (string?)request.Json!["user"]![0]!["id"]);
        Assert.Equal(harness.Events.Accepted.Single().TaskId, (string?)status["providerRequestId"]);
        Assert.Empty(harness.Nhn.Requests);
    }

    [Fact]
    public async Task SeveralQueuedFriendTalkMessagesGoInOneNhnRequest()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add(await api.AcceptAsync($"010-2000-{i:D4}", $"메시지 {i}"));
        }
        await api.DisposeAsync();

        var app = harness.StartApp();
        foreach (var id in ids)
        {
            await app.WaitForStatusAsync(id, "sent");
        }
        var send = Assert.Single(harness.Nhn.Sends);
        Assert.Equal(25, send.Json!["recipientList"]!.AsArray().Count);
        Assert.All(ids, id => Assert.Equal(1, harness.Nhn.AcceptedCount(id)));
    }

    [Fact]
    public async Task BrandMessageBatchesOnlyMessagesWithIdenticalContent()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var api = harness.StartApp(sender: false);
        var same = new[] { await api.AcceptAsync("010-3000-0001", "같은 내용", "brand"), await api.AcceptAsync("010-3000-0002", "같은 내용", "brand") };
        var other = await api.AcceptAsync("010-3000-0003", "다른 내용", "brand");
        await api.DisposeAsync();

        var app = harness.StartApp();
        foreach (var id in same.Append(other))
        {
            await app.WaitForStatusAsync(id, "sent");
        }
        Assert.Equal(2, harness.Nhn.Sends.Count);
        var shared = Assert.Single(harness.Nhn.Sends, s => (string?)s.Json!["content"] == "같은 내용");
        Assert.Equal(2, shared.Json!["recipientList"]!.AsArray().Count);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithTheSameIdempotencyKeyThenSent()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Status(503), FakeFailure.Status(500), FakeFailure.Code(-9999));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-1234-5678", "재시도");

        var status = await app.WaitForStatusAsync(id, "sent");
        Assert.Equal(4, harness.Nhn.Sends.Count);
        Assert.Single(harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).Distinct());
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        Assert.Equal("4", status["attempts"]!.ToString());
    }

    [Fact]
    public async Task ATimeoutIsRetriedAndTheDuplicateKeyAnswerIsReconciledNotResent()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        // NHN accepts the first request but answers after the client (1 s timeout) gave up; the retry meets -1005.
        harness.Nhn.FailNext(FakeFailure.Slow(TimeSpan.FromSeconds(1.5)));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-1234-5678", "느린 NHN");

        var status = await app.WaitForStatusAsync(id, "delivered");
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        Assert.True(harness.Nhn.Sends.Count >= 2);
        Assert.Single(harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).Distinct());
        var key = harness.Nhn.Sends[0].Header("X-NC-API-IDEMPOTENCY-KEY");
        Assert.Equal(key, (string?)harness.Nhn.Sends[0].Json!["senderGroupingKey"]);
        Assert.Contains(harness.Nhn.Requests, r => r.Method == "GET" && r.Query.Contains($"senderGroupingKey={key}", StringComparison.Ordinal));
        Assert.Equal(harness.Nhn.Accepted.Single().RequestId, (string?)status["providerRequestId"]);
    }

    [Fact]
    public async Task ABrandMessageTimeoutIsReconciledByRecipientGroupingKey()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Slow(TimeSpan.FromSeconds(1.5)));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-1234-5678", "느린 브랜드 메시지", accountId: "brand");

        await app.WaitForStatusAsync(id, "delivered");
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        Assert.Contains(harness.Nhn.Requests, r => r.Method == "GET" && r.Query.Contains($"recipientGroupingKey={id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhileRetryingTheStatusSaysWhy()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Status(503), FakeFailure.Status(503), FakeFailure.Status(503));
        var app = harness.StartApp(settings: new Dictionary<string, string>
        {
            ["FriendTalk:Sender:BackoffBase"] = "00:00:01",
            ["FriendTalk:Sender:BackoffMax"] = "00:00:02",
        });
        var id = await app.AcceptAsync("010-1234-5678", "재시도 중");

        await Eventually.TrueAsync(() => app.StatusAsync(id).Result["reason"]?.ToString().Contains("HTTP 503", StringComparison.Ordinal) == true, "retry reason");
        Assert.Equal("accepted", (string?)(await app.StatusAsync(id))["status"]);
        await app.WaitForStatusAsync(id, "sent");
    }

    [Fact]
    public async Task ADuplicateKeyWithNothingAtNhnIsSentAgainOnlyAfterTheKeyWindow()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Code(-1005, "Duplicated idempotency key."));
        var app = harness.StartApp(settings: new Dictionary<string, string> { ["FriendTalk:Sender:IdempotencyWindow"] = "00:00:01.500" });
        var started = DateTime.UtcNow;
        var id = await app.AcceptAsync("010-1234-5678", "-1005");

        await app.WaitForStatusAsync(id, "sent");
        Assert.Equal(1, harness.Nhn.AcceptedCount(id));
        var keys = harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotEqual(keys[0], keys[1]);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1.5));
        Assert.Contains(harness.Nhn.Requests, r => r.Method == "GET" && r.Query.Contains("senderGroupingKey", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1001, "secret key is invalid (toastSecretKey) (-1001)")]
    [InlineData(-1027, "sender profile is blocked (-1027)")]
    [InlineData(-9992, "migrate to brand-message")]
    [InlineData(-2024, "text is too long (-2024)")]
    [InlineData(-8008, "banned word (-8008)")]
    public async Task ConfigAndValidationErrorsFailAtOnceWithAReadableReason(int code, string reason)
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Code(code));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-1234-5678", "실패");

        var status = await app.WaitForStatusAsync(id, "failed");
        Assert.Contains(reason, (string?)status["reason"]);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)status["providerCode"]);
        await Task.Delay(300);
        Assert.Single(harness.Nhn.Sends);
        var db = await harness.RedisAsync();
        Assert.Contains(reason, (string?)await db.HashGetAsync(FriendTalkRedisKeys.OutboundStats("default"), "lastError"));
    }

    [Fact]
    public async Task ARecipientRefusedInsideAnAcceptedBatchFailsAloneAndTheOthersAreSent()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.RecipientResultCode = number => number.EndsWith("0002", StringComparison.Ordinal) ? -5000 : 0;
        var api = harness.StartApp(sender: false);
        var good = await api.AcceptAsync("010-4000-0001", "ok");
        var bad = await api.AcceptAsync("010-4000-0002", "bad");
        await api.DisposeAsync();

        var app = harness.StartApp();
        await app.WaitForStatusAsync(good, "delivered");
        var failed = await app.WaitForStatusAsync(bad, "failed");
        Assert.Contains("recipient number is invalid (-5000)", (string?)failed["reason"]);
        Assert.Single(harness.Nhn.Sends);
    }

    [Fact]
    public async Task NhnsDailyQuotaDefersTheMessageToMidnightKst()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext(FakeFailure.Code(-1017));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-1234-5678", "쿼터");

        var status = await app.WaitForStatusAsync(id, "scheduled");
        Assert.Contains("daily sending volume", (string?)status["reason"]);
        var at = DateTimeOffset.Parse((string)status["scheduledFor"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, at.ToOffset(TimeSpan.FromHours(9)).TimeOfDay);
        var db = await harness.RedisAsync();
        Assert.NotNull(await db.SortedSetScoreAsync(FriendTalkRedisKeys.OutboundDelayed, id));
    }

    [Fact]
    public async Task DeliveryFailuresArePolledWithTheReason()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.Delivery = a => a.RecipientNo.EndsWith("0001", StringComparison.Ordinal) ? ("FAILED", "3050") : ("COMPLETED", "3060");
        var app = harness.StartApp();
        var notFriend = await app.AcceptAsync("010-5000-0001", "친구 아님");
        var unconfirmed = await app.AcceptAsync("010-5000-0002", "수신 미확인");

        var failed = await app.WaitForStatusAsync(notFriend, "failed");
        Assert.Equal("the recipient has not added the channel as a friend (3050)", (string?)failed["reason"]);
        Assert.Equal("3050", (string?)failed["providerCode"]);
        await Eventually.TrueAsync(() => app.StatusAsync(unconfirmed).Result["providerCode"]?.ToString() == "3060", "3060 recorded");
        var status = await app.StatusAsync(unconfirmed);
        Assert.Equal("sent", (string?)status["status"]);
        Assert.Contains("did not confirm receipt (3060)", (string?)status["reason"]);
        Assert.Equal(2, harness.Nhn.Accepted.Count);
    }

    [Fact]
    public async Task EventApiServerErrorsAreRetriedThenSent()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Events.FailNext(FakeFailure.Status(502), FakeFailure.Status(503));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("kakao:botUserKey:u-1", "재시도");

        await app.WaitForStatusAsync(id, "sent");
        Assert.Equal(3, harness.Events.Requests.Count);
        Assert.Single(harness.Events.Accepted);
    }

    [Fact]
    public async Task AnEventApiTimeoutIsNeverResentBecauseKakaoTakesNoIdempotencyKey()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Events.FailNext(FakeFailure.Slow(TimeSpan.FromSeconds(1.5)));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("kakao:botUserKey:u-1", "느린 카카오");

        var status = await app.WaitForStatusAsync(id, "failed");
        Assert.Contains("not resent to avoid a duplicate", (string?)status["reason"]);
        await Task.Delay(2000);
        Assert.Single(harness.Events.Requests);
    }

    [Fact]
    public async Task AnEventApiAuthErrorFailsWithTheFix()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Events.FailNext(FakeFailure.Status(401));
        var app = harness.StartApp();
        var id = await app.AcceptAsync("kakao:botUserKey:u-1", "키 오류");

        var status = await app.WaitForStatusAsync(id, "failed");
        Assert.Contains("check adminKey and botId", (string?)status["reason"]);
        Assert.Single(harness.Events.Requests);
    }

    [Fact]
    public async Task WhenNhnKeepsFailingTheMessageIsFailedAfterItsRoundsWithoutEverBeingSentTwice()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.FailNext([.. Enumerable.Repeat(FakeFailure.Status(503), 4)]);
        // A cold first call on a busy machine took longer than the key window (past it the sender reconciles instead of
        // resending, by design: a round of one call) and than the harness's 1 s HttpTimeout (the call gave up before
        // reaching the fake). So the window and the lease run on a clock moved only between calls, and the calls get
        // production's HttpTimeout: NHN sees every attempt.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.FromHours(9)));
        var app = harness.StartApp(time: clock, settings: new Dictionary<string, string>
        {
            ["FriendTalk:Sender:MaxAttempts"] = "2",
            ["FriendTalk:Sender:MaxRounds"] = "2",
            ["FriendTalk:Sender:IdempotencyWindow"] = "00:00:00.300",
            ["FriendTalk:Sender:HttpTimeout"] = "00:00:15",
            ["FriendTalk:Sender:LeaseDuration"] = "00:01:00",
        });
        var id = await app.AcceptAsync("010-1234-5678", "계속 실패");
        string Reason() => app.StatusAsync(id).Result["reason"]?.ToString() ?? "";

        for (var round = 1; round <= 2; round++)
        {
            await Eventually.TrueAsync(() => Reason().Contains("(attempt 1)", StringComparison.Ordinal), $"round {round}, attempt 1");
            clock.Advance(TimeSpan.FromMilliseconds(200)); // the harness's BackoffMax: the retry is due, still inside the window
            await Eventually.TrueAsync(() => Reason().Contains("out of attempts", StringComparison.Ordinal), $"round {round}, attempt 2");
            clock.Advance(TimeSpan.FromMilliseconds(300)); // the window ends: NHN's records are checked
        }
        var status = await app.WaitForStatusAsync(id, "failed");
        Assert.Contains("did not accept it after 2 rounds", (string?)status["reason"]);
        Assert.Equal(4, harness.Nhn.Sends.Count);
        Assert.Equal(2, harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).Distinct().Count());
        Assert.Empty(harness.Nhn.Accepted);
    }

    [Fact]
    public async Task WhenTheEventApiKeepsFailingTheMessageIsFailedAfterMaxAttempts()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Events.FailNext([.. Enumerable.Repeat(FakeFailure.Status(500), 4)]);
        var app = harness.StartApp();
        var id = await app.AcceptAsync("kakao:appUserId:42", "계속 실패");

        var status = await app.WaitForStatusAsync(id, "failed");
        Assert.Contains("gave up after 4 attempts", (string?)status["reason"]);
        Assert.Equal(4, harness.Events.Requests.Count);
        Assert.Equal("appUserId", (string?)harness.Events.Requests[0].Json!["user"]![0]!["type"]);
    }

    [Fact]
    public async Task APassingKakaoDeliveryFailureIsSentAgainAsANewRequestAndThenDelivered()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        string? firstRequest = null;
        harness.Nhn.Delivery = a => (firstRequest ??= a.RequestId) == a.RequestId ? ("FAILED", "3000") : ("COMPLETED", "1000");
        var app = harness.StartApp();
        var id = await app.AcceptAsync("010-1234-5678", "카카오 일시 오류");

        var status = await app.WaitForStatusAsync(id, "delivered");
        Assert.Equal(2, harness.Nhn.AcceptedCount(id));
        Assert.NotEqual(firstRequest, (string?)status["providerRequestId"]);
        Assert.Equal(2, harness.Nhn.Sends.Select(s => s.Header("X-NC-API-IDEMPOTENCY-KEY")).Distinct().Count());
    }

    [Fact]
    public async Task TheNightBlockCodeReschedulesTheMessageForEightOClock()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        harness.Nhn.Delivery = _ => ("FAILED", "3022");
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 21, 0, 0, TimeSpan.FromHours(9)));
        var app = harness.StartApp(time: clock, settings: new Dictionary<string, string> { ["FriendTalk:Sender:PollDelay"] = "00:00:00" });
        var id = await app.AcceptAsync("010-1234-5678", "밤 차단");

        var status = await app.WaitForStatusAsync(id, "scheduled");
        Assert.StartsWith("2026-11-27T08:00:00", (string?)status["scheduledFor"]);
        Assert.Contains("night block (20:50-08:00 KST) (3022)", (string?)status["reason"]);
    }

    [Fact]
    public async Task AnImageAndButtonsReachFriendTalkAsImageUrlAndWebLinkButtons()
    {
        await using var harness = await OutboundHarness.StartAsync(redis);
        var app = harness.StartApp();
        using var response = await app.SendAsync(new
        {
            to = "010-1234-5678",
            message = "사진과 버튼",
            imageUrl = "https://img.example.com/a.png",
            buttons = new[] { new { name = "일정 보기", url = "https://example.com/e/1" } },
            idempotencyKey = "img-1",
        });
        var id = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["messageId"]!.GetValue<string>();
        await app.WaitForStatusAsync(id, "sent");
        var recipient = harness.Nhn.Sends.Single().Json!["recipientList"]![0]!;
        Assert.Equal("https://img.example.com/a.png", (string?)recipient["imageUrl"]);
        var button = recipient["buttons"]![0]!;
        Assert.Equal("WL", (string?)button["type"]);
        Assert.Equal(1, (int)button["ordering"]!);
        Assert.Equal("일정 보기", (string?)button["name"]);
        Assert.Equal("https://example.com/e/1", (string?)button["linkMo"]);
        Assert.Equal("https://example.com/e/1", (string?)button["linkPc"]);
    }
}
