using System.Net;
using System.Text.Json.Nodes;

namespace KakaoAspire.AppHost.Tests;

/// <summary>A Kakao account bound to an agent that lives in the user's Moltbot gateway (here: the fake gateway).</summary>
[Collection(AppCollection.Name)]
public sealed class GatewayAgentAppTests(AppFixture fixture)
{
    [Fact]
    public async Task AKakaoMessageIsAnsweredByTheGatewaysAgentUnderItsSessionKey()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var user = "GwUser" + Guid.NewGuid().ToString("N")[..8];

        var (response, body) = await Skill.PostAsync(client, "/kakao/gw", Skill.Payload("게이트웨이 에이전트 안녕", user));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeMoltbotGateway.EchoText("helper", "게이트웨이 에이전트 안녕"), Skill.FirstText(body));
        var run = Assert.Single(fixture.Gateway.Runs, r => r.Message == "게이트웨이 에이전트 안녕");
        // Lowercase, with the peer's capitals escaped ("G" → "~g"): the gateway lowercases keys, and "GwUser…" is not "gwuser…".
        Assert.Equal($"agent:helper:kakao:gw:dm:~gw~user{user["GwUser".Length..]}", run.SessionKey);
        Assert.Equal(false, run.Deliver);
    }

    [Fact]
    public async Task TheSameRequestTwiceIsOneGatewayRun()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        var payload = Skill.Payload("한 번만 실행돼야 해요 " + Guid.NewGuid().ToString("N")[..6], "GwRetry1");
        var text = payload["userRequest"]!["utterance"]!.GetValue<string>();

        var answers = await Task.WhenAll(
            Skill.PostAsync(client, "/kakao/gw", payload),
            Skill.PostAsync(client, "/kakao/gw", (JsonObject)payload.DeepClone()));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode));
        Assert.Single(fixture.Gateway.Runs, r => r.Message == text);
    }

    [Fact]
    public async Task ASlowGatewayRunIsAcknowledgedThenPostedOnceToTheCallback()
    {
        var token = Guid.NewGuid().ToString("N");
        var payload = Skill.Payload("천천히 답해 주세요", "GwSlow" + token[..6]);
        payload["userRequest"]!["callbackUrl"] = fixture.Callbacks.UrlFor(token);
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        fixture.Gateway.RunDelay = TimeSpan.FromSeconds(4);
        try
        {
            var started = DateTimeOffset.UtcNow;
            var (response, body) = await Skill.PostAsync(client, "/kakao/gw", payload);
            var answeredAfter = DateTimeOffset.UtcNow - started;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(body?["useCallback"]?.GetValue<bool>(), body?.ToJsonString());
            Assert.True(answeredAfter < TimeSpan.FromSeconds(3), $"acknowledged after {answeredAfter}");

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (fixture.Callbacks.For(token).Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            await Task.Delay(1500); // a second POST would have arrived by now
            var post = Assert.Single(fixture.Callbacks.For(token));
            Assert.Equal(FakeMoltbotGateway.EchoText("helper", "천천히 답해 주세요"), Skill.FirstText(post.Body));
        }
        finally
        {
            fixture.Gateway.RunDelay = TimeSpan.FromMilliseconds(50);
        }
    }

    [Fact]
    public async Task TheGatewayTokenIsInNoLogLine()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        await Skill.PostAsync(client, "/kakao/gw", Skill.Payload("토큰 확인", "GwToken1"));

        Assert.NotEmpty(fixture.AllLogLines);
        Assert.DoesNotContain(fixture.AllLogLines, line => line.Contains(AppFixture.GatewayToken));
    }
}
