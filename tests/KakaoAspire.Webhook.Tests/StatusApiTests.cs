using System.Net;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Tests;

public sealed class StatusApiTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task StatusWithoutTheBearerIs401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.Authorization = new("Bearer", "wrong");
        using var wrong = await fixture.Client.SendAsync(request);
        using var none = await fixture.Client.GetAsync("/api/v1/status");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/status")]
    [InlineData("GET", "/api/v1/pairing/kakao/")]
    [InlineData("POST", "/api/v1/pairing/kakao/approve")]
    public async Task Every_api_route_refuses_a_wrong_token_with_one_problem_that_says_where_the_token_is_and_never_echoes_it(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("{\"code\":\"ABCD1234\"}", System.Text.Encoding.UTF8, "application/json") : null,
        };
        request.Headers.Authorization = new("Bearer", "guessed-token-1234");
        using var response = await fixture.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Missing or wrong bearer token", body);
        Assert.Contains("gateway.auth.token", body);
        Assert.DoesNotContain("guessed-token-1234", body);
        Assert.DoesNotContain(fixture.Factory.Logs.Lines, l => l.Contains("guessed-token-1234", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StatusShowsEveryAccountWithInAndOutAndTheTokenSourceButNoSecret()
    {
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString))
        {
            await redis.GetDatabase().HashSetAsync(KakaoAspire.Contracts.AccountOutboundActivity.Key(TestConfig.Fast),
                [new("lastAt", "2026-01-02T03:04:05.0000000+00:00"), new("count", "7")]);
        }
        var before = (long)(await GetStatusAsync()).Json["accounts"]!.AsArray().Single(a => (string?)a!["id"] == TestConfig.Fast)!["in"]!["count"]!;
        await Skill.AskAsync(fixture.Client, TestConfig.Fast, Skill.Payload(Skill.NewUser(), "상태"));

        var (status, raw, json) = await GetStatusAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        var fast = json["accounts"]!.AsArray().Single(a => (string?)a!["id"] == TestConfig.Fast)!;
        Assert.Equal(7, (long)fast["out"]!["count"]!);
        Assert.Equal(before + 1, (long)fast["in"]!["count"]!);
        Assert.Equal(9106, (int)fast["webhookPort"]!);
        Assert.Equal("open", (string?)fast["dmPolicy"]);
        var off = json["accounts"]!.AsArray().Single(a => (string?)a!["id"] == TestConfig.Off)!;
        Assert.Equal("disabled", (string?)off["dmPolicy"]);
        Assert.Equal("config", (string?)json["token"]!["source"]);
        Assert.DoesNotContain(TestConfig.Token, raw);
        Assert.DoesNotContain(TestConfig.WebhookSecret, raw);
    }

    private async Task<(HttpStatusCode Status, string Raw, System.Text.Json.Nodes.JsonObject Json)> GetStatusAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.Authorization = new("Bearer", TestConfig.Token);
        using var response = await fixture.Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, raw, System.Text.Json.Nodes.JsonNode.Parse(raw)!.AsObject());
    }
}
