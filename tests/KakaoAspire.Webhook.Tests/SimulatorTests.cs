using System.Net;
using KakaoAspire.Webhook.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The simulator page exists on a developer's machine only.</summary>
public sealed class DevelopmentFixture : WebhookFixture
{
    protected override string Environment => "Development";
}

public sealed class SimulatorInDevelopmentTests(DevelopmentFixture fixture) : IClassFixture<DevelopmentFixture>
{
    [Fact]
    public async Task ThePageAndItsAssetsAreServedInDevelopment()
    {
        var page = await fixture.Client.GetAsync("/simulator/");
        var script = await fixture.Client.GetAsync("/simulator/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("KakaoAspire 시뮬레이터", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task TheAccountListGivesTheBrowserNoSecret()
    {
        var accounts = await fixture.Client.GetStringAsync("/simulator/api/accounts");

        Assert.Contains("\"id\"", accounts);
        Assert.DoesNotContain(TestConfig.WebhookSecret, accounts);
    }

    [Fact]
    public async Task TheLoopbackCallbackReceiverAnswersLikeKakaoAndHandsTheAnswerToThePage()
    {
        var id = Guid.NewGuid().ToString("N");
        var received = await fixture.Client.PostAsync($"/simulator/callback/{id}",
            new StringContent("""{"version":"2.0","template":{"outputs":[{"simpleText":{"text":"콜백 답"}}]}}""", System.Text.Encoding.UTF8, "application/json"));
        var kakaoReply = await received.Content.ReadAsStringAsync();
        var forPage = await fixture.Client.GetStringAsync($"/simulator/api/callbacks/{id}");

        Assert.Contains("\"status\":\"SUCCESS\"", kakaoReply);
        Assert.Contains("콜백 답", forPage);
    }

    [Fact]
    public async Task Callbacks_nobody_fetches_are_bounded_and_the_oldest_go_first()
    {
        var ids = Enumerable.Range(0, SimulatorCallbacks.Capacity + 20).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        foreach (var id in ids)
        {
            using var posted = await fixture.Client.PostAsync($"/simulator/callback/{id}",
                new StringContent("""{"version":"2.0"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        using var oldest = await fixture.Client.GetAsync($"/simulator/api/callbacks/{ids[0]}");
        using var newest = await fixture.Client.GetAsync($"/simulator/api/callbacks/{ids[^1]}");

        Assert.Equal(HttpStatusCode.NoContent, oldest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);
        Assert.True(fixture.Factory.Services.GetRequiredService<SimulatorCallbacks>().Count <= SimulatorCallbacks.Capacity);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("X-Forwarded-For", "127.0.0.1, 203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("CF-Connecting-IP", "203.0.113.9")]
    public async Task A_request_forwarded_for_another_machine_does_not_find_the_simulator(string header, string value)
    {
        foreach (var (method, path) in new[] { ("GET", "/simulator/"), ("GET", "/simulator/api/outbox"), ("POST", "/simulator/api/send"), ("POST", "/simulator/callback/x") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method == "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null,
            };
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await fixture.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} with {header}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Our_own_edge_forwarding_for_a_loopback_caller_still_finds_the_simulator()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/simulator/");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "127.0.0.1");
        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class SimulatorInProductionTests(ProductionFixture fixture) : IClassFixture<ProductionFixture>
{
    [Theory]
    [InlineData("GET", "/simulator/")]
    [InlineData("GET", "/simulator/api/accounts")]
    [InlineData("POST", "/simulator/api/send")]
    [InlineData("POST", "/simulator/callback/abc")]
    public async Task ProductionRefusesTheSimulatorRoutes(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null,
        };
        var response = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
