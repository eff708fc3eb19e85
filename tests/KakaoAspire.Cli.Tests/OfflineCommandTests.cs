using System.Text.Json.Nodes;

namespace KakaoAspire.Cli.Tests;

/// <summary>What the CLI says when no gateway runs: a plain message and an exit code a script can test.</summary>
public sealed class OfflineCommandTests
{
    private static CliRunner Offline() => new CliRunner().With("MOLTBOT_GATEWAY_URL", $"http://127.0.0.1:{FreePort.Next()}");

    [Fact]
    public async Task StatusFallsBackToTheConfigWhenTheGatewayIsNotRunning()
    {
        using var cli = Offline();
        var run = await cli.RunAsync("kakao", "status");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Gateway not reachable", run.Out);
        Assert.Contains("- Kakao default: enabled, not configured, stopped", run.Out);
        Assert.Contains("dmPolicy is \"open\"", run.Out);
    }

    [Fact]
    public async Task StatusJsonHasTheDocumentedShape()
    {
        using var cli = Offline();
        var run = await cli.RunAsync("kakao", "status", "--json");

        var json = JsonNode.Parse(run.Out)!;
        Assert.False(json["gatewayReachable"]!.GetValue<bool>());
        Assert.Equal("generated", json["apiToken"]!["source"]!.GetValue<string>());
        var account = json["accounts"]![0]!;
        foreach (var key in new[] { "id", "enabled", "configured", "running", "mode", "dmPolicy", "allowFrom", "tokenSource", "in", "out" })
        {
            Assert.NotNull(account[key]);
        }
        Assert.NotEmpty(json["warnings"]!.AsArray());
    }

    [Fact]
    public async Task SendSaysTheGatewayIsNotRunningWithExitCode3()
    {
        using var cli = Offline();
        var run = await cli.RunAsync("kakao", "send", "010-1234-5678", "안녕하세요");

        Assert.Equal(ExitCodes.GatewayUnreachable, run.ExitCode);
        Assert.Contains("Gateway not reachable", run.Error);
        Assert.Contains("moltbot gateway run", run.Error);
    }

    [Fact]
    public async Task PairingRefusesAnotherChannel()
    {
        using var cli = Offline();
        var run = await cli.RunAsync("pairing", "approve", "telegram", "ABCDEFGH");

        // The parser refuses it (AcceptOnlyFromAmong), naming the one channel it takes.
        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("'telegram' not recognized", run.Error);
        Assert.Contains("'kakao'", run.Error);
    }

    [Fact]
    public async Task AnUnknownCommandIsAUsageError()
    {
        using var cli = Offline();
        var run = await cli.RunAsync("kakao", "bogus");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("moltbot --help", run.Error);
    }

    [Fact]
    public async Task GatewayRunWithoutAnAppHostSaysHowToPointAtOne()
    {
        using var cli = Offline();
        var run = await cli.RunAsync("gateway", "run", "--apphost", Path.Combine(cli.Home, "nowhere"));

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("--apphost", run.Error);
    }

    [Fact]
    public async Task AnInvalidConfigIsReportedWithItsJsonPath()
    {
        using var cli = Offline();
        var path = Path.Combine(cli.Home, "bad.json");
        await File.WriteAllTextAsync(path, """{ "channels": { "kakao": { "accounts": { "default": { "webhookPth": "/x" } } } } }""");

        var run = await cli.RunAsync("kakao", "status", "--config", path);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("channels.kakao.accounts.default.webhookPth", run.Error);
        Assert.Contains("webhookPath", run.Error);
    }
}
