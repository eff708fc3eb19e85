using System.Text.Json.Nodes;

namespace KakaoAspire.Cli.Tests;

/// <summary>What status and setup say about the webhook secret: how to add the header, where the value is, never the value unasked.</summary>
public sealed class WebhookSecretCommandTests
{
    private static CliRunner Offline() => new CliRunner().With("MOLTBOT_GATEWAY_URL", $"http://127.0.0.1:{FreePort.Next()}");

    private static string SecretFile(CliRunner cli) => Path.Combine(cli.StateDirectory, "kakao", "webhook-secret-default");

    [Fact]
    public async Task Status_says_how_to_add_the_generated_secret_header_and_where_the_value_is_without_printing_it()
    {
        using var cli = Offline();

        var text = await cli.RunAsync("kakao", "status");
        var json = JsonNode.Parse((await cli.RunAsync("kakao", "status", "--json")).Out)!;

        var secret = File.ReadAllText(SecretFile(cli)).Trim();
        Assert.Contains("secret:generated", text.Out);
        Assert.Contains($"- default: 헤더값 입력: name X-Moltbot-Webhook-Secret, value: the contents of {SecretFile(cli)}", text.Out);
        Assert.DoesNotContain(secret, text.All);
        var report = json["accounts"]![0]!["webhookSecret"]!;
        Assert.Equal(("generated", "X-Moltbot-Webhook-Secret", SecretFile(cli)),
            (report["source"]!.GetValue<string>(), report["header"]!.GetValue<string>(), report["path"]!.GetValue<string>()));
        Assert.Null(report["value"]);
        Assert.DoesNotContain("no webhookSecret", text.Out);
    }

    [Fact]
    public async Task Status_shows_the_secret_only_when_asked_with_show_secret()
    {
        using var cli = Offline();

        var text = await cli.RunAsync("kakao", "status", "--show-secret");
        var json = JsonNode.Parse((await cli.RunAsync("kakao", "status", "--json", "--show-secret")).Out)!;

        var secret = File.ReadAllText(SecretFile(cli)).Trim();
        Assert.Contains($"헤더값 입력: name X-Moltbot-Webhook-Secret, value {secret}", text.Out);
        Assert.Equal(secret, json["accounts"]![0]!["webhookSecret"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_warns_about_an_account_that_opts_out_and_about_a_gateway_agent_open_to_strangers()
    {
        using var cli = Offline();
        var path = Path.Combine(cli.Home, "moltbot.json");
        await File.WriteAllTextAsync(path, """
            { "channels": { "kakao": { "accounts": { "default": { "allowUnauthenticatedWebhook": true } } } },
              "agents": { "list": [ { "id": "ops", "default": true, "model": { "provider": "moltbot", "agentId": "ops" } } ] } }
            """);

        var run = await cli.RunAsync("kakao", "status", "--config", path);

        Assert.Contains("secret:none", run.Out);
        Assert.Contains("- default: no secret header: allowUnauthenticatedWebhook is true", run.Out);
        Assert.Contains("- default: allowUnauthenticatedWebhook is true: anyone who can reach port 8788", run.Out);
        Assert.Contains("- default: dmPolicy is \"open\" and strangers reach agent \"ops\"", run.Out);
        Assert.False(File.Exists(SecretFile(cli)));
    }

    [Fact]
    public async Task Setup_generates_the_secret_and_says_where_it_is_so_Open_Builder_can_be_set_up_before_the_first_start()
    {
        using var cli = new CliRunner();

        var run = await cli.RunAsync("kakao", "setup", "--non-interactive", "--port", "9002");

        Assert.Equal(0, run.ExitCode);
        var secret = File.ReadAllText(SecretFile(cli)).Trim();
        Assert.Contains($"헤더값 입력: name X-Moltbot-Webhook-Secret, value: the contents of {SecretFile(cli)}", run.Out);
        Assert.DoesNotContain(secret, run.All);
    }
}
