using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KakaoAspire.AppHost.Tests;

/// <summary>The moltbot CLI against the running app, as a user would run it beside the gateway.</summary>
[Collection(AppCollection.Name)]
public sealed partial class CliAgainstAppTests(AppFixture fixture)
{
    // After its label: the reply names the user id first, and one id in 256 ("Pairing" + eight hex digits, all of them
    // 2-9) is itself eight characters of the code's alphabet.
    [GeneratedRegex("페어링 코드: ([ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8})")]
    private static partial Regex PairingCode();

    [Fact]
    public async Task StatusSaysTheGatewayIsReachableAndListsEveryAccountWithoutASecret()
    {
        using var cli = fixture.Cli();
        var text = await cli.RunAsync("kakao", "status");
        var json = await cli.RunAsync("kakao", "status", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith("Gateway reachable.", text.Out);
        foreach (var account in new[] { "default", "gw", "locked", "pairs" })
        {
            Assert.Contains($"- Kakao {account}: enabled", text.Out);
        }
        Assert.Contains("dm:pairing", text.Out);
        var report = JsonNode.Parse(json.Out)!;
        Assert.True(report["gatewayReachable"]!.GetValue<bool>());
        Assert.Equal("generated", report["apiToken"]!["source"]!.GetValue<string>());
        Assert.All(fixture.Secrets, secret => Assert.DoesNotContain(secret, text.All + json.All));
    }

    [Fact]
    public async Task SendWithAnIdempotencyKeySendsOnceAndWaitsForTheFinalStatus()
    {
        using var cli = fixture.Cli();
        var key = "cli-" + Guid.NewGuid().ToString("N");

        var first = await cli.RunAsync("kakao", "send", "010-1234-5678", "안녕하세요, 몰트봇이에요", "--idempotency-key", key, "--wait", "--timeout", "40");
        var again = await cli.RunAsync("kakao", "send", "010-1234-5678", "안녕하세요, 몰트봇이에요", "--idempotency-key", key);

        Assert.True(first.ExitCode == 0, first.All);
        var id = Regex.Match(first.Out, "Message (\\S+):").Groups[1].Value;
        Assert.Matches("Message \\S+: (sent|delivered)", first.Out);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"Message {id}:", again.Out);
        Assert.Equal(1, fixture.Nhn.AcceptedCount(id));
        Assert.All(fixture.Secrets, secret => Assert.DoesNotContain(secret, first.All + again.All));
    }

    [Fact]
    public async Task MessageShowsOneSendsStateAndStatusShowsTheQueueAndTodaysCapUse()
    {
        using var cli = fixture.Cli();
        var sent = await cli.RunAsync("kakao", "send", "010-2345-6789", "상태 확인용", "--wait", "--timeout", "40");
        var id = Regex.Match(sent.Out, "Message (\\S+):").Groups[1].Value;

        var message = await cli.RunAsync("kakao", "message", id);
        var json = await cli.RunAsync("kakao", "status", "--json");
        var text = await cli.RunAsync("kakao", "status");

        Assert.True(message.ExitCode == 0, message.All);
        Assert.Matches($"Message {id}: (sent|delivered)", message.Out);
        Assert.Contains("provider: friendtalk-compat, to: ", message.Out);
        Assert.Contains("reason: ", message.Out);
        Assert.DoesNotContain("010-2345-6789", message.Out);
        var account = JsonNode.Parse(json.Out)!["accounts"]!.AsArray().Single(a => (string?)a!["id"] == "default")!;
        Assert.True((int)account["queue"]!["capUsed"]! >= 1, json.Out);
        Assert.Equal(0, (int)account["queue"]!["ready"]!);
        Assert.Contains("- Kakao default: enabled", text.Out);
        Assert.Matches("queue: 0 waiting, 0 scheduled; today [1-9][0-9]*/[0-9]+ of dailyCap", text.Out);
        Assert.All(fixture.Secrets, secret => Assert.DoesNotContain(secret, message.All + json.All + text.All));
    }

    [Fact]
    public async Task SendToAnInvalidRecipientFailsWithTheFieldAndExitCode2()
    {
        using var cli = fixture.Cli();
        var run = await cli.RunAsync("kakao", "send", "not-a-number", "안녕");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("to", run.Error);
    }

    [Fact]
    public async Task PairingApproveLetsTheNextMessageThrough()
    {
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        void Secret(HttpRequestMessage request) => request.Headers.Add("X-Moltbot-Webhook-Secret", AppFixture.WebhookSecret);
        var user = "Pairing" + Guid.NewGuid().ToString("N")[..8];

        var (first, firstBody) = await Skill.PostAsync(client, "/kakao/pairs", Skill.Payload("안녕하세요", user), Secret);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var code = PairingCode().Match(Skill.FirstText(firstBody)).Groups[1].Value;
        Assert.NotEmpty(code);

        using var cli = fixture.Cli();
        var list = await cli.RunAsync("pairing", "list", "kakao");
        var approve = await cli.RunAsync("pairing", "approve", "kakao", code.ToLowerInvariant());
        var (_, after) = await Skill.PostAsync(client, "/kakao/pairs", Skill.Payload("이제 되나요?", user), Secret);

        Assert.Contains(code, list.Out);
        Assert.True(approve.ExitCode == 0, approve.All);
        Assert.Contains("기본 에이전트", Skill.FirstText(after));
        Assert.All(fixture.Secrets, secret => Assert.DoesNotContain(secret, list.All + approve.All));
    }

    [Fact]
    public async Task ApprovingAnUnknownCodeFailsWithExitCode1()
    {
        using var cli = fixture.Cli();
        var run = await cli.RunAsync("pairing", "approve", "kakao", "ZZZZ2222");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Not approved", run.Error);
    }
}
