using System.Net;
using System.Text;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// Security through the whole app: the per-IP limit on /api (and none on webhook paths), the API token, the
/// callback SSRF allowlist, the daily cap, and known secrets and phone numbers in logs and error bodies.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class SecurityTests(ReliabilityApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task PastTheApiLimitAnAddressGets429WithRetryAfterWhileAnotherAddressIsServed()
    {
        using var client = app.Edge(ReliabilityApp.GatewayToken);
        using var neighbour = app.Edge(ReliabilityApp.GatewayToken);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ReliabilityApp.ApiRateLimitPerMinute; i++)
        {
            using var response = await client.GetAsync("/api/v1/messages/nope").WaitAsync(ReliabilityApp.RequestTimeout);
            statuses.Add(response.StatusCode);
        }
        using var limited = await client.GetAsync("/api/v1/messages/nope").WaitAsync(ReliabilityApp.RequestTimeout);
        var limitedBody = await limited.Content.ReadAsStringAsync();
        using var other = await neighbour.GetAsync("/api/v1/messages/nope").WaitAsync(ReliabilityApp.RequestTimeout);
        output.WriteLine($"{statuses.Count} requests: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Count()}x {(int)g.Key}"))}; " +
            $"then {(int)limited.StatusCode} Retry-After {limited.Headers.RetryAfter}; another address {(int)other.StatusCode}");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NotFound, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains("apiRateLimitPerMinute", limitedBody);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task WebhookPathsHaveNoPerAddressLimit()
    {
        // Every Kakao call comes from Kakao's few servers: three times the /api limit from one address, all answered.
        using var client = app.Edge();
        var count = ReliabilityApp.ApiRateLimitPerMinute * 3;
        var user = Skill.NewUser("NoLimit");
        var replies = new List<SkillReply>();
        foreach (var batch in Enumerable.Range(0, count).Chunk(10))
        {
            replies.AddRange(await Task.WhenAll(batch.Select(i => Skill.PostAsync(client, "/kakao/webhook", Skill.Payload($"제한 없음 {i}", user + i)))));
        }
        output.WriteLine($"{count} skill requests from one address: {replies.Count(r => r.Status == HttpStatusCode.OK)}x HTTP 200");
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(replies, r => Assert.Contains("기본 에이전트", r.FirstText));
    }

    [Fact]
    public async Task EveryApiRouteRefusesAMissingOrWrongTokenWith401AndTakesTheRightOne()
    {
        using var anonymous = app.Edge();
        using var wrong = app.Edge("wrong-" + ReliabilityApp.GatewayToken);
        using var right = app.Edge(ReliabilityApp.GatewayToken);
        var routes = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Post, "/api/v1/messages", $"{{\"to\":\"010-5000-0001\",\"message\":\"토큰\",\"idempotencyKey\":\"{Guid.NewGuid()}\"}}"),
            (HttpMethod.Get, "/api/v1/messages/nope", null),
            (HttpMethod.Get, "/api/v1/status", null),
            (HttpMethod.Get, "/api/v1/pairing/kakao", null),
            (HttpMethod.Post, "/api/v1/pairing/kakao/approve", "{\"code\":\"ZZZZ2222\"}"),
        };
        foreach (var (method, path, body) in routes)
        {
            var results = new List<(string Who, HttpStatusCode Status, string Body)>();
            foreach (var (who, client) in new[] { ("none", anonymous), ("wrong", wrong), ("right", right) })
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request).WaitAsync(ReliabilityApp.RequestTimeout);
                results.Add((who, response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
            output.WriteLine($"{method} {path}: {string.Join(", ", results.Select(r => $"{r.Who} {(int)r.Status}"))}");
            Assert.Equal(HttpStatusCode.Unauthorized, results[0].Status);
            Assert.Equal(HttpStatusCode.Unauthorized, results[1].Status);
            Assert.NotEqual(HttpStatusCode.Unauthorized, results[2].Status);
            Assert.True((int)results[2].Status < 500, $"{path}: {results[2].Body}");
            Assert.All(results, r => Assert.DoesNotContain(ReliabilityApp.GatewayToken, r.Body));
        }
    }

    [Fact]
    public async Task ACallbackUrlOutsideTheAllowlistIsNeverCalledAndTheUserGetsStillThinking()
    {
        using var client = app.Edge();
        var control = Guid.NewGuid().ToString("N");
        var userInfo = Guid.NewGuid().ToString("N");
        var recorder = new Uri(app.Callbacks.BaseUrl);
        var hostile = new[]
        {
            "https://attacker.invalid/callback/1",
            "https://kakao.com.attacker.invalid/callback/2", // looks like kakao.com, is not under it
            "https://xkakao.com.invalid/callback/3",
            "http://169.254.169.254/latest/meta-data/", // the cloud metadata address, over http
            $"http://user:pw@127.0.0.1:{recorder.Port}/callback/{userInfo}", // loopback, but with user info
            $"ftp://127.0.0.1:{recorder.Port}/callback/{userInfo}",
        };
        app.Control.Delay = TimeSpan.FromSeconds(6);
        try
        {
            var replies = await Task.WhenAll(hostile.Select((url, i) =>
                Skill.PostAsync(client, "/kakao/strict", Skill.Payload("콜백 확인", Skill.NewUser($"Ssrf{i}"), url))));
            // The control: http to loopback is allowed in Development, so this one is called, once.
            var allowed = await Skill.PostAsync(client, "/kakao/strict", Skill.Payload("콜백 확인", Skill.NewUser("SsrfOk"), app.Callbacks.UrlFor(control)));
            Assert.True(await Eventually.TrueAsync(() => app.Callbacks.For(control).Count > 0, TimeSpan.FromSeconds(20)), "the allowed callback never came");
            await Task.Delay(1500);
            var refusals = app.Logs["webhook"].Count(l => l.Contains("Refused the callbackUrl of account strict"));
            output.WriteLine($"{hostile.Length} hostile callbackUrls: {replies.Count(r => !r.UseCallback && r.FirstText == Skill.StillThinking)}x still thinking " +
                $"without callback, {refusals} refusals logged; control: useCallback {allowed.UseCallback}, {app.Callbacks.For(control).Count} POST");

            Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
            Assert.All(replies, r => Assert.False(r.UseCallback, r.Raw));
            Assert.All(replies, r => Assert.Equal(Skill.StillThinking, r.FirstText));
            Assert.True(refusals >= hostile.Length, $"{refusals} refusals logged");
            Assert.Empty(app.Callbacks.For(userInfo));
            Assert.True(allowed.UseCallback);
            Assert.Single(app.Callbacks.For(control));
        }
        finally
        {
            app.Control.Delay = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task WithDailyCapTwoTheThirdSendIs429WithWhenItResets()
    {
        using var client = app.Edge(ReliabilityApp.GatewayToken);
        var first = await Outbound.AcceptAsync(client, "010-7000-0001", "하나", "capped");
        var second = await Outbound.AcceptAsync(client, "010-7000-0002", "둘", "capped");
        var (status, _, raw, response) = await Outbound.SendAsync(client,
            new { to = "010-7000-0003", message = "셋", accountId = "capped", idempotencyKey = Guid.NewGuid().ToString() });
        using var _ = response;
        output.WriteLine($"capped: two accepted ({first}, {second}); third {(int)status} Retry-After {response.Headers.RetryAfter}: {raw}");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.Contains("dailyCap", raw);
        Assert.Contains(await Outbound.WaitSentAsync(client, second, TimeSpan.FromSeconds(30)), new[] { "sent", "delivered" });
        Assert.Equal(1, app.Nhn.AcceptedCount(first));
        Assert.DoesNotContain(app.Nhn.Sends, s => s.Body.Contains("01070000003"));
    }
}
