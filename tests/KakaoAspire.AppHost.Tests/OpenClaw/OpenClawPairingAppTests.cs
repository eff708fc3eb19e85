using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KakaoAspire.AppHost.Tests.OpenClaw;

/// <summary>
/// The Kakao channel seen from OpenClaw's own commands, on the whole app with the real gateway: a stranger's pairing
/// request is OpenClaw's (<c>openclaw pairing list|approve kakao</c>), and <c>openclaw channels status --probe</c>
/// shows the Kakao accounts as KakaoAspire reports them.
/// </summary>
[Collection(OpenClawAppCollection.Name)]
public sealed partial class OpenClawPairingAppTests(OpenClawAppFixture fixture)
{
    [Fact]
    public async Task A_stranger_s_code_is_listed_and_approved_with_openclaw_pairing_and_their_next_message_reaches_the_OpenClaw_agent()
    {
        var user = "OcPairApp" + Guid.NewGuid().ToString("N")[..8];
        using var client = PairingClient();

        var (firstResponse, first) = await Skill.PostAsync(client, OpenClawAppFixture.PairingWebhookPath,
            Skill.Payload("처음 왔어요", user), timeout: OpenClawAppFixture.TurnTimeout);
        var firstText = Skill.FirstText(first);
        var code = CodePattern().Match(firstText).Groups[1].Value;
        var list = await fixture.OpenClawAsync("pairing", "list", "kakao", "--json");
        var approve = await fixture.OpenClawAsync("pairing", "approve", "kakao", code);
        var token = Guid.NewGuid().ToString("N");
        var next = Skill.Payload("승인받고 다시 왔어요", user);
        next["userRequest"]!["callbackUrl"] = fixture.Callbacks.UrlFor(token);
        var (nextResponse, nextBody) = await Skill.PostAsync(client, OpenClawAppFixture.PairingWebhookPath, next, timeout: OpenClawAppFixture.TurnTimeout);
        // Within Kakao's limit, through the callback, or (an agent slower than the callback's "still preparing") later.
        var answered = nextBody?["useCallback"]?.GetValue<bool>() == true
            ? await WaitForCallbackAsync(token)
            : nextBody;
        // The router logs the session when the turn is over, after the model was asked.
        await WaitUntilAsync(() => fixture.Logs["agent-router"].Any(line => line.Contains($"agent:main:kakao:direct:{user.ToLowerInvariant()}")));

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.True(code.Length == 8, firstText);
        Assert.Contains($"openclaw pairing approve kakao {code}", firstText);
        Assert.True(list.ExitCode == 0, list.All);
        Assert.Matches($"\"code\":\\s*\"{code}\"", list.Out);
        Assert.True(approve.ExitCode == 0, approve.All);
        Assert.Equal(HttpStatusCode.OK, nextResponse.StatusCode);
        Assert.DoesNotContain("페어링 코드", Skill.FirstText(answered));
        Assert.DoesNotContain("페어링 코드", Skill.FirstText(nextBody));
        // The first message never reached the agent; the one after the approval did, in this user's kakao session.
        Assert.DoesNotContain(fixture.Model.Requests, r => r.Messages.Any(m => m.Role == "user" && m.Text.Contains("처음 왔어요")));
        Assert.Contains(fixture.Model.Requests, r => r.Messages.Any(m => m.Role == "user" && m.Text.Contains("승인받고 다시 왔어요")));
        Assert.Contains(fixture.Logs["agent-router"], line => line.Contains($"agent:main:kakao:direct:{user.ToLowerInvariant()}"));
    }

    [Fact]
    public async Task Openclaw_channels_status_probe_shows_both_Kakao_accounts_running_with_their_dm_policy_from_the_app()
    {
        var run = await fixture.OpenClawAsync("channels", "status", "--probe", "--channel", "kakao", "--json");

        Assert.True(run.ExitCode == 0, run.All);
        var json = JsonNode.Parse(run.Out[run.Out.IndexOf('{')..])!;
        var accounts = json["channelAccounts"]?["kakao"]?.AsArray() ?? throw new Xunit.Sdk.XunitException($"no channelAccounts.kakao in:\n{run.Out}");
        foreach (var (id, policy) in new[] { ("default", "open"), (OpenClawAppFixture.PairingAccount, "pairing") })
        {
            var account = Assert.Single(accounts, a => (string?)a!["accountId"] == id);
            Assert.True(account!["running"]?.GetValue<bool>() == true, account.ToJsonString());
            Assert.Equal(policy, (string?)account["dmPolicy"]);
            // The probe reached KakaoAspire's /api/v1/status and found this account there.
            Assert.True(account["probe"]?["ok"]?.GetValue<bool>() == true, account.ToJsonString());
            Assert.Equal(id, (string?)(account["probe"]?["account"]?["id"] ?? account["probe"]?["account"]?["accountId"]));
        }
        Assert.DoesNotContain(OpenClawAppFixture.GatewayToken, run.All);
    }

    // A client of the edge that sends the webhook secret the app generated for the pairing account.
    private HttpClient PairingClient() =>
        new(new WebhookSecretHandler(_ => WebhookSecretHandler.Generated(fixture.StateDirectory, OpenClawAppFixture.PairingAccount)))
        {
            BaseAddress = new Uri($"http://127.0.0.1:{fixture.WebhookPort}"),
            Timeout = OpenClawAppFixture.TurnTimeout,
        };

    private async Task<JsonNode?> WaitForCallbackAsync(string token)
    {
        var deadline = DateTime.UtcNow + OpenClawAppFixture.TurnTimeout;
        while (fixture.Callbacks.For(token).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        return Assert.Single(fixture.Callbacks.For(token)).Body;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + OpenClawAppFixture.TurnTimeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"페어링 코드: ([A-Z0-9]{8})")]
    private static partial Regex CodePattern();
}
