using System.Net;

namespace KakaoAspire.AppHost.Tests;

/// <summary>The whole app with the guide's kind of config (no webhookSecret on most accounts): the webhook is authenticated anyway.</summary>
[Collection(AppCollection.Name)]
public sealed class WebhookAuthAppTests(AppFixture fixture)
{
    [Fact]
    public async Task Through_the_edge_a_skill_request_without_the_generated_secret_is_refused_and_with_it_answered()
    {
        using var stranger = fixture.StrangerClient(fixture.DefaultPort);
        using var kakao = fixture.EdgeClient(fixture.DefaultPort);
        var payload = Skill.Payload("/whoami", "AuthUser" + Guid.NewGuid().ToString("N")[..8]);

        var (refused, problem) = await Skill.PostAsync(stranger, "/kakao/webhook", payload);
        var (answered, _) = await Skill.PostAsync(kakao, "/kakao/webhook", payload);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("X-Moltbot-Webhook-Secret", problem?["detail"]?.ToString());
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public void The_webhook_start_log_says_how_to_add_the_secret_header_and_warns_about_a_gateway_agent_open_to_strangers()
    {
        var log = fixture.Logs["webhook"].ToArray();
        var file = Path.Combine(fixture.StateDirectory, "kakao", "webhook-secret-default");

        Assert.Contains(log, line => line.Contains(
            $"add the header X-Moltbot-Webhook-Secret with the value from {file}", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains("gw: dmPolicy is \"open\" and strangers reach agent \"helper\"", StringComparison.Ordinal));
    }
}
