namespace KakaoAspire.AppHost.Tests;

/// <summary>Known secret values in the config: after real traffic, none appears in any service's log.</summary>
[Collection(AppCollection.Name)]
public sealed class SecretsTests(AppFixture fixture)
{
    [Fact]
    public async Task NoSecretReachesAnyServicesLog()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        await Skill.PostAsync(client, "/kakao/pairs", Skill.Payload("비밀 없이", "SecretsUser1"),
            request => request.Headers.Add("X-Moltbot-Webhook-Secret", AppFixture.WebhookSecret));
        await Skill.PostAsync(client, "/kakao/pairs", Skill.Payload("틀린 비밀", "SecretsUser1"),
            request => request.Headers.Add("X-Moltbot-Webhook-Secret", "wrong-" + AppFixture.WebhookSecret));
        using var cli = fixture.Cli();
        await cli.RunAsync("kakao", "send", "010-9876-5432", "비밀 확인", "--idempotency-key", Guid.NewGuid().ToString("N"), "--wait", "--timeout", "30");
        await Task.Delay(1000); // logs arrive through the orchestrator

        var lines = fixture.AllLogLines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in fixture.Secrets)
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret));
        }
        // Phone numbers appear masked only.
        Assert.DoesNotContain(lines, line => line.Contains("01098765432") || line.Contains("010-9876-5432"));
    }
}
