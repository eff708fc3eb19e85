using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KakaoAspire.Webhook.Tests;

public sealed partial class DmPolicyTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task OpenPolicyNeedsNoAllowFrom()
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "열림"));

        Assert.Equal("답변: 열림", Skill.Texts(response)[0]);
    }

    [Fact]
    public async Task DisabledPolicyAnswersDeniedTextAndRunsNoAgent()
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Off, Skill.Payload(Skill.NewUser(), "닫힘-확인"));

        Assert.Equal(TestConfig.DeniedText, Skill.Texts(response).Single());
        Assert.Equal(0, fixture.Router.RunsOf("닫힘-확인"));
    }

    [Theory]
    [InlineData("bare-id", null, null)]            // bare id against user.id
    [InlineData("BARE-ID", null, null)]            // case-insensitive
    [InlineData("someone", "pf-key-1", null)]      // typed plusfriendUserKey, other case
    [InlineData("someone", "bare-id", null)]       // bare id matches the plusfriendUserKey as well
    [InlineData("someone", null, "app-1")]         // KAKAO:appUserId: prefix
    [InlineData("typed-bot", null, null)]          // botUserKey: without kakao:
    [InlineData("user-form", null, null)]          // kakao:user: = botUserKey
    public async Task AllowlistLetsListedIdsInWhateverTheirForm(string userId, string? plusfriendUserKey, string? appUserId)
    {
        var utterance = "허용-" + Guid.NewGuid().ToString("N")[..6];
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Allow,
            Skill.Payload(userId, utterance, plusfriendUserKey: plusfriendUserKey, appUserId: appUserId));

        Assert.Equal($"답변: {utterance}", Skill.Texts(response)[0]);
    }

    [Theory]
    [InlineData("stranger", null, null)]
    [InlineData("stranger", null, "pf-key-1")]     // a plusfriendUserKey value under the wrong id type
    [InlineData("app-1", null, null)]              // an appUserId value as user.id does not match the typed entry
    public async Task AllowlistIsStrict(string userId, string? plusfriendUserKey, string? appUserId)
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Allow,
            Skill.Payload(userId, "거절", plusfriendUserKey: plusfriendUserKey, appUserId: appUserId));

        Assert.Equal(TestConfig.DeniedText, Skill.Texts(response).Single());
    }

    [Fact]
    public async Task PairingGivesACodeOnceThenApprovalLetsTheNextMessageThrough()
    {
        var user = Skill.NewUser();
        var (first, _) = await Skill.AskAsync(Client, TestConfig.Pair, Skill.Payload(user, "처음", plusfriendUserKey: "PF-" + user));
        var text = Skill.Texts(first).Single();
        var code = CodePattern().Match(text).Groups[1].Value;

        Assert.Matches("^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$", code);
        await using (var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString))
        {
            var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(WebhookRedisKeys.PairingCode(code));
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        }
        Assert.Contains("PF-" + user, text);
        Assert.Contains($"moltbot pairing approve kakao {code}", text);

        var (second, _) = await Skill.AskAsync(Client, TestConfig.Pair, Skill.Payload(user, "또", plusfriendUserKey: "PF-" + user));
        Assert.Equal(TestConfig.DeniedText, Skill.Texts(second).Single());

        var list = await SendAsync(HttpMethod.Get, "/api/v1/pairing/kakao?accountId=pair");
        Assert.Contains((await Skill.ReadJsonAsync(list))["requests"]!.AsArray(), r => (string?)r!["code"] == code && (string?)r["userId"] == "PF-" + user);

        var approve = await SendAsync(HttpMethod.Post, "/api/v1/pairing/kakao/approve", new { code = code.ToLowerInvariant(), accountId = "pair" });
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal("PF-" + user, (string?)(await Skill.ReadJsonAsync(approve))["userId"]);

        var (third, _) = await Skill.AskAsync(Client, TestConfig.Pair, Skill.Payload(user, "승인 후", plusfriendUserKey: "PF-" + user));
        Assert.Equal("답변: 승인 후", Skill.Texts(third)[0]);
        Assert.Equal(0, fixture.Router.RunsOf("처음"));
    }

    [Fact]
    public async Task PairingKeepsAtMostThreeCodesPendingPerAccount()
    {
        var codes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (response, _) = await Skill.AskAsync(Client, TestConfig.PairFull, Skill.Payload(Skill.NewUser(), "줄"));
            var match = CodePattern().Match(Skill.Texts(response).Single());
            if (match.Success)
            {
                codes.Add(match.Groups[1].Value);
            }
        }
        var list = await SendAsync(HttpMethod.Get, "/api/v1/pairing/kakao");
        var pending = (await Skill.ReadJsonAsync(list))["requests"]!.AsArray().Count(r => (string?)r!["accountId"] == TestConfig.PairFull);

        Assert.True(codes.Count <= 3, $"{codes.Count} codes handed out");
        Assert.True(pending <= 3, $"{pending} codes pending");
    }

    [Fact]
    public async Task PairingApiWantsTheBearerAndRefusesUnknownCodes()
    {
        using var noBearer = await Client.GetAsync("/api/v1/pairing/kakao");
        var unknown = await SendAsync(HttpMethod.Post, "/api/v1/pairing/kakao/approve", new { code = "ZZZZZZZZ" });
        var missing = await SendAsync(HttpMethod.Post, "/api/v1/pairing/kakao/approve", new { accountId = "pair" });

        Assert.Equal(HttpStatusCode.Unauthorized, noBearer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", TestConfig.Token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await Client.SendAsync(request);
    }

    [GeneratedRegex(@"페어링 코드: ([A-Z0-9]{8})")]
    private static partial Regex CodePattern();
}
