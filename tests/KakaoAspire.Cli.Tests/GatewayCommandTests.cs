using System.Text.Json.Nodes;

namespace KakaoAspire.Cli.Tests;

/// <summary>status, message and send --wait against a gateway API on loopback: what an operator reads.</summary>
public sealed class GatewayCommandTests
{
    private static async Task<(FakeGateway Gateway, CliRunner Cli)> StartAsync(int accounts = 1)
    {
        var gateway = await FakeGateway.StartAsync(accounts);
        var cli = new CliRunner();
        var config = Path.Combine(cli.Home, "moltbot.json");
        await File.WriteAllTextAsync(config, gateway.Config());
        cli.With("MOLTBOT_CONFIG_PATH", config).With("MOLTBOT_GATEWAY_URL", gateway.Url);
        return (gateway, cli);
    }

    [Fact]
    public async Task Status_shows_each_accounts_queue_oldest_waiting_message_cap_use_and_last_error()
    {
        var (gateway, cli) = await StartAsync();
        await using var _ = gateway;
        using var __ = cli;
        gateway.Status = JsonNode.Parse("""
            { "accounts": [ { "id": "default", "in": { "lastAt": null, "count": 4 }, "out": { "lastAt": null, "count": 2 },
              "lastError": "RedisTimeoutException", "lastErrorAt": "2026-01-02T03:04:05+00:00",
              "queue": { "ready": 2, "sending": 1, "scheduled": 5, "oldestWaitingId": "msg_old", "oldestWaitingSince": "2026-01-02T12:00:00+09:00",
                         "capUsed": 7, "capLimit": 1000, "lastError": "NHN refused the sender key (-1019)", "lastFailedAt": "2026-01-02T12:10:00.000+09:00" } } ] }
            """)!.AsObject();

        var text = await cli.RunAsync("kakao", "status");
        var json = await cli.RunAsync("kakao", "status", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("queue: 3 waiting, oldest msg_old since 2026-01-02 12:00:00 KST", text.Out);
        Assert.Contains("5 scheduled; today 7/1000 of dailyCap", text.Out);
        Assert.Contains("last error: RedisTimeoutException at 2026-01-02 12:04:05 KST", text.Out);
        Assert.Contains("last send failure: NHN refused the sender key (-1019) at 2026-01-02 12:10:00 KST", text.Out);
        var account = JsonNode.Parse(json.Out)!["accounts"]![0]!;
        Assert.Equal("RedisTimeoutException", (string?)account["lastError"]);
        Assert.Equal(7, (int)account["queue"]!["capUsed"]!);
        Assert.Equal("msg_old", (string?)account["queue"]!["oldestWaitingId"]);
    }

    [Fact]
    public async Task Status_probe_runs_the_probes_at_once_and_keeps_json_output_one_document()
    {
        var (gateway, cli) = await StartAsync(accounts: 3);
        await using var _ = gateway;
        using var __ = cli;
        gateway.Status = new JsonObject { ["accounts"] = new JsonArray(), ["stateError"] = null };
        gateway.HoldProbesUntil = 3;

        var run = await cli.RunAsync("kakao", "status", "--probe", "--json");

        Assert.Equal(0, run.ExitCode);
        // Each webhook probe is held until all three are in flight: one after another, none would ever see another.
        Assert.Equal(3, gateway.MostProbesInFlight);
        var probes = JsonNode.Parse(run.Out)!["probes"]!.AsArray();
        Assert.Equal(["redis", "default webhook path", "extra1 webhook path", "extra2 webhook path"], probes.Select(p => (string)p!["name"]!));
        Assert.All(probes, p => Assert.True((bool)p!["ok"]!));
        // Redirected: no spinner, no escape codes; progress is plain lines on standard error.
        Assert.Contains("probe default webhook path: ok", run.Error);
        Assert.False(run.All.Contains('\u001b', StringComparison.Ordinal), run.All);
    }

    [Fact]
    public async Task Message_shows_its_state_times_provider_code_and_reason()
    {
        var (gateway, cli) = await StartAsync();
        await using var _ = gateway;
        using var __ = cli;
        gateway.MessageStates.Enqueue(JsonNode.Parse("""
            { "messageId": "msg_cli1", "status": "failed", "accountId": "default", "provider": "friendtalk-compat", "to": "*******5678",
              "acceptedAt": "2026-01-02T12:00:00.000+09:00", "updatedAt": "2026-01-02T12:00:05.000+09:00",
              "providerCode": "-1019", "reason": "sender key is not registered (-1019): check senderKey", "attempts": 1 }
            """)!.AsObject());

        var run = await cli.RunAsync("kakao", "message", "msg_cli1");
        var unknown = await cli.RunAsync("kakao", "message", "msg_nope");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Message msg_cli1: failed", run.Out);
        Assert.Contains("provider: friendtalk-compat, to: *******5678", run.Out);
        Assert.Contains("accepted: 2026-01-02 12:00:00 KST", run.Out);
        Assert.Contains("provider code: -1019", run.Out);
        Assert.Contains("reason: sender key is not registered (-1019): check senderKey", run.Out);
        Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
        Assert.Contains("No such message", unknown.Error);
    }

    [Fact]
    public async Task Send_wait_prints_each_state_and_reason_the_message_goes_through_until_it_is_sent()
    {
        var (gateway, cli) = await StartAsync();
        await using var _ = gateway;
        using var __ = cli;
        foreach (var state in new[]
        {
            """{ "messageId": "msg_cli1", "status": "accepted", "reason": "NHN answered HTTP 503; retrying (attempt 1)" }""",
            """{ "messageId": "msg_cli1", "status": "accepted", "reason": "NHN answered HTTP 503; retrying (attempt 1)" }""",
            """{ "messageId": "msg_cli1", "status": "accepted", "reason": "NHN answered HTTP 503; retrying (attempt 2)" }""",
            """{ "messageId": "msg_cli1", "status": "sent", "reason": "accepted by NHN; waiting for KakaoTalk's delivery result" }""",
        })
        {
            gateway.MessageStates.Enqueue(JsonNode.Parse(state)!.AsObject());
        }

        var run = await cli.RunAsync("kakao", "send", "010-1234-5678", "안녕하세요", "--wait", "--timeout", "20");

        Assert.True(run.ExitCode == 0, run.All);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("Message msg_cli1: accepted (idempotency key", lines[0]);
        // A change of state or of reason is a line; the same answer twice is not.
        Assert.Equal(
            [
                "Message msg_cli1: accepted — NHN answered HTTP 503; retrying (attempt 1)",
                "Message msg_cli1: accepted — NHN answered HTTP 503; retrying (attempt 2)",
                "Message msg_cli1: sent — accepted by NHN; waiting for KakaoTalk's delivery result",
            ],
            lines[1..]);
    }
}
