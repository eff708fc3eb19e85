using System.Net;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using System.Text;

namespace KakaoAspire.AppHost.Tests.OpenClaw;

/// <summary>
/// KakaoTalk as a real OpenClaw channel: a Kakao user talks to the OpenClaw agent through the Kakao plugin, and
/// OpenClaw (its CLI, its gateway methods) reaches Kakao users through our sender, exactly once.
/// </summary>
[Collection(OpenClawAppCollection.Name)]
public sealed class OpenClawGatewayAppTests(OpenClawAppFixture fixture)
{
    private static readonly TimeSpan SendWait = TimeSpan.FromSeconds(60);
    private const string RelaySecretHeader = "x-kakao-relay-secret";

    // As the plugin and the agent-router derive it from the gateway token (computed here independently of both).
    private static string RelaySecret(string gatewayToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(gatewayToken), "kakao-relay-v1"u8));

    [Fact]
    public async Task A_Kakao_message_is_answered_by_the_OpenClaw_agent_through_the_plugin_in_a_kakao_session_of_that_user()
    {
        var user = "OcUser" + Guid.NewGuid().ToString("N")[..8];
        var token = Guid.NewGuid().ToString("N");
        var payload = Skill.Payload("오픈클로 에이전트 안녕", user);
        payload["userRequest"]!["callbackUrl"] = fixture.Callbacks.UrlFor(token);
        using var client = fixture.EdgeClient();

        var (response, body) = await Skill.PostAsync(client, "/kakao/webhook", payload, timeout: OpenClawAppFixture.TurnTimeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = body?["useCallback"]?.GetValue<bool>() == true
            ? Skill.FirstText(await WaitForCallbackAsync(token))
            : Skill.FirstText(body);
        Assert.Equal(OpenClawAppFixture.ModelAnswer, answer);
        // The model saw the user's words inside OpenClaw's own prompt for a kakao message.
        Assert.Contains(fixture.Model.Requests, r => r.Messages.Any(m => m.Role == "user" && m.Text.Contains("오픈클로 에이전트 안녕")));
        // OpenClaw's session key for channel kakao and this user (peer ids are lowercased inside session keys).
        var sessionKey = $"agent:main:kakao:direct:{user.ToLowerInvariant()}";
        var (found, lines) = await fixture.WaitForLogAsync("agent-router", line => line.Contains(sessionKey), TimeSpan.FromSeconds(15));
        Assert.True(found, $"no agent-router log line names {sessionKey}:\n{string.Join("\n", lines.TakeLast(20))}");
    }

    [Fact]
    public async Task The_plugin_relay_refuses_a_wrong_secret_and_logs_no_secret()
    {
        using var client = fixture.GatewayClient();
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/kakao/relay")
        {
            Content = new StringContent("""{"turnId":"t-wrong","accountId":"default","userKey":"u1","text":"hi"}""", Encoding.UTF8, "application/json"),
        };
        wrong.Headers.Add(RelaySecretHeader, RelaySecret("not-the-token"));
        using var missing = new HttpRequestMessage(HttpMethod.Get, "/kakao/relay");
        using var right = new HttpRequestMessage(HttpMethod.Get, "/kakao/relay");
        right.Headers.Add(RelaySecretHeader, RelaySecret(OpenClawAppFixture.GatewayToken));

        using var wrongResponse = await client.SendAsync(wrong);
        using var missingResponse = await client.SendAsync(missing);
        using var rightResponse = await client.SendAsync(right);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missingResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
        Assert.DoesNotContain(fixture.Model.Requests, r => r.Messages.Any(m => m.Text.Contains("t-wrong")));
        var secret = RelaySecret(OpenClawAppFixture.GatewayToken);
        Assert.DoesNotContain(fixture.AllLogLines, line => line.Contains(OpenClawAppFixture.GatewayToken) || line.Contains(secret));
    }

    [Fact]
    public async Task Openclaw_message_send_reaches_the_Kakao_user_through_NHN_once()
    {
        var text = "오픈클로에서 보낸 알림 " + Guid.NewGuid().ToString("N")[..6];

        var run = await fixture.OpenClawAsync("message", "send", "--channel", "kakao", "--target", "010-2345-6789", "--message", text, "--json");

        Assert.True(run.ExitCode == 0, run.All);
        await AssertSentOnceAsync(() => fixture.Nhn.Accepted.Count(a => a.Content?.Contains(text) == true));
    }

    [Fact]
    public async Task Gateway_call_kakao_send_reaches_the_Event_API_once_even_when_repeated_with_the_same_key()
    {
        var key = "kakao-send-" + Guid.NewGuid().ToString("N");
        var text = "게이트웨이 메서드로 보낸 메시지 " + key[^6..];
        var @params = new JsonObject { ["to"] = "kakao:botUserKey:OcEventUser1", ["message"] = text, ["idempotencyKey"] = key }.ToJsonString();

        var first = await fixture.OpenClawAsync("gateway", "call", "kakao.send", "--params", @params, "--json");
        var second = await fixture.OpenClawAsync("gateway", "call", "kakao.send", "--params", @params, "--json");

        Assert.True(first.ExitCode == 0, first.All);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Matches("\"channel\"\\s*:\\s*\"kakao\"", first.Out);
        await AssertSentOnceAsync(() => fixture.EventApi.Accepted.Count(a => a.Body.ToJsonString().Contains("OcEventUser1")));
    }

    [Fact]
    public async Task Core_send_with_the_same_idempotency_key_twice_reaches_NHN_once()
    {
        var key = "core-send-" + Guid.NewGuid().ToString("N");
        var text = "같은 키로 두 번 보낸 메시지 " + key[^6..];
        var @params = new JsonObject { ["channel"] = "kakao", ["to"] = "010-3456-7890", ["message"] = text, ["idempotencyKey"] = key }.ToJsonString();

        var first = await fixture.OpenClawAsync("gateway", "call", "send", "--params", @params, "--json");
        var second = await fixture.OpenClawAsync("gateway", "call", "send", "--params", @params, "--json");

        Assert.True(first.ExitCode == 0, first.All);
        Assert.True(second.ExitCode == 0, second.All);
        await AssertSentOnceAsync(() => fixture.Nhn.Accepted.Count(a => a.Content?.Contains(text) == true));
    }

    [Fact]
    public async Task Openclaw_kakao_status_json_shows_the_account_and_a_reachable_app()
    {
        var run = await fixture.OpenClawAsync("kakao", "status", "--json");

        Assert.True(run.ExitCode == 0, run.All);
        var json = JsonNode.Parse(run.Out[run.Out.IndexOf('{')..])!;
        Assert.True(json["gatewayReachable"]!.GetValue<bool>(), run.Out);
        var account = Assert.Single(json["accounts"]!.AsArray(), a => (string?)a!["id"] == "default");
        Assert.Equal("OpenClaw test bot", account!["name"]!.GetValue<string>());
        Assert.Equal("open", account["dmPolicy"]!.GetValue<string>());
        Assert.DoesNotContain(FakeNhnServer.SecretKey, run.All);
        Assert.DoesNotContain(OpenClawAppFixture.GatewayToken, run.All);
    }

    private async Task<JsonNode?> WaitForCallbackAsync(string token)
    {
        var deadline = DateTime.UtcNow + OpenClawAppFixture.TurnTimeout;
        while (fixture.Callbacks.For(token).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        return Assert.Single(fixture.Callbacks.For(token)).Body;
    }

    // The send is queued and delivered by the sender in the background: wait for it, then a while longer, since a
    // second provider call would arrive by then.
    private async Task AssertSentOnceAsync(Func<int> count)
    {
        var deadline = DateTime.UtcNow + SendWait;
        while (count() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        // When nothing arrived, what the sender said is what tells why (held for the night, refused, never queued).
        var sent = count();
        Assert.True(sent == 1, $"sent {sent} times; friendtalk's last lines:\n" +
            string.Join('\n', fixture.Logs.TryGetValue("friendtalk", out var lines) ? lines.TakeLast(25) : []));
    }
}
