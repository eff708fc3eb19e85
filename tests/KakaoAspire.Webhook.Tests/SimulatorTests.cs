using System.Net;

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
