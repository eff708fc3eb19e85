using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;

namespace KakaoAspire.AppHost.Tests;

[Collection(AppCollection.Name)]
public sealed class WebhookPathTests(AppFixture fixture)
{
    [Fact]
    public async Task FixtureSkillRequestGetsTheBuiltinAgentsAnswerThroughTheEdge()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var (response, body) = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("내일 오전 9시에 회의 있는지 확인해줘", "UserFirst1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2.0", body?["version"]?.GetValue<string>());
        Assert.Contains("내일 오전 9시에 회의 있는지 확인해줘", Skill.FirstText(body));
        Assert.Contains("기본 에이전트", Skill.FirstText(body));
        // Hangul goes out as UTF-8, as Kakao expects.
        Assert.Contains("charset=utf-8", response.Content.Headers.ContentType?.ToString() ?? "");
    }

    [Fact]
    public async Task SecondUtteranceFromTheSameUserContinuesTheSessionAndRedisHoldsBothTurns()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var (_, first) = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("첫 번째 메시지", "SameUserKey2"));
        var (second, body) = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("두 번째 메시지", "SameUserKey2"));

        Assert.Contains("이전 메시지 0개", Skill.FirstText(first));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("이전 메시지 1개", Skill.FirstText(body));

        var connectionString = await fixture.App.GetConnectionStringAsync("redis").AsTask().WaitAsync(AppFixture.RequestTimeout);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString!).WaitAsync(AppFixture.RequestTimeout);
        // Moltbot's per-account-channel-peer key, lowercased with the peer's capitals escaped; the peer is the stable plusfriendUserKey.
        var turns = await redis.GetDatabase().ListRangeAsync("moltbot:session:agent:main:kakao:default:dm:~same~user~key2:turns");
        var stored = string.Join("\n", turns.Select(t => t.ToString()));
        Assert.Equal(4, turns.Length);
        Assert.Contains("첫 번째 메시지", stored);
        Assert.Contains("두 번째 메시지", stored);
    }

    [Fact]
    public async Task OneTraceIdAppearsInTheLogsOfEdgeWebhookAndAgentRouter()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var (response, _) = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("추적해 주세요", "TraceUser3"),
            request => request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var services = new[] { "edge", "webhook", "agent-router" };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string[] missing;
        do
        {
            missing = services.Where(s => !fixture.Logs.TryGetValue(s, out var lines) || !lines.Any(l => l.Contains(traceId))).ToArray();
            if (missing.Length == 0)
            {
                break;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.True(missing.Length == 0, $"Trace {traceId} missing from the logs of: {string.Join(", ", missing)}\n" +
            string.Join("\n", missing.SelectMany(s => fixture.Logs.GetValueOrDefault(s)?.TakeLast(8) ?? []).Select(l => "  " + l)));
    }

    [Fact]
    public async Task AClientSuppliedAccountHeaderIsNotBelieved()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var (spoofed, spoofedBody) = await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("안녕", "Spoofer4"),
            request => request.Headers.Add("X-KakaoAspire-Account", "locked"));
        using var lockedClient = fixture.EdgeClient(fixture.LockedPort);
        var (locked, lockedBody) = await Skill.PostAsync(lockedClient, "/kakao/locked", Skill.Payload("안녕", "Spoofer4"));

        Assert.Equal(HttpStatusCode.OK, spoofed.StatusCode);
        Assert.Contains("기본 에이전트", Skill.FirstText(spoofedBody));
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal(AppFixture.LockedDeniedText, Skill.FirstText(lockedBody));
    }

    [Fact]
    public async Task TheInternalSkillPathIsNotReachableFromOutside()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var (response, _) = await Skill.PostAsync(client, "/kakao/skill", Skill.Payload("안녕", "Outsider5"),
            request => request.Headers.Add("X-KakaoAspire-Account", "default"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ABodyOverOneMebibyteGets413()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        using var content = new ByteArrayContent(new byte[1024 * 1024 + 1]);
        content.Headers.ContentType = new("application/json");
        // Expect: 100-continue: the refusal comes on the length, before the body, so it cannot race the upload.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/kakao/webhook") { Content = content };
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request).WaitAsync(AppFixture.RequestTimeout);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task TheOutboundApiIsReachedThroughTheEdgeBehindTheGatewayToken()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var anonymous = await client.GetAsync("/api/v1/messages/nope").WaitAsync(AppFixture.RequestTimeout);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var token = (await File.ReadAllTextAsync(fixture.TokenPath)).Trim();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/messages/nope");
        request.Headers.Authorization = new("Bearer", token);
        var response = await client.SendAsync(request).WaitAsync(AppFixture.RequestTimeout);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("No such message", problem?["title"]?.GetValue<string>());
    }
}
