using KakaoAspire.Cli.Kakao;
using KakaoAspire.Gateway.Protocol;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Tests;

/// <summary><c>kakao status --probe</c>'s gateway check against a fake OpenClaw gateway on loopback.</summary>
public sealed class GatewayHandshakeProbeTests : IAsyncLifetime
{
    private FakeMoltbotGateway _gateway = null!;
    private readonly TempDirectory _state = new();

    public async Task InitializeAsync() => _gateway = await FakeMoltbotGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _state.Dispose();
    }

    private MoltbotConfig Config(string? token) => MoltbotConfigLoader.Parse($$"""
        {
          {{(token is null ? "" : $"\"gateway\": {{ \"auth\": {{ \"token\": \"{token}\" }} }},")}}
          "channels": { "kakao": { "moltbotGateway": { "url": "{{_gateway.Url}}" } } },
          "routing": { "bindings": [ { "channel": "kakao", "agent": "my-assistant" } ] }
        }
        """, null, _ => null);

    [Fact]
    public async Task A_gateway_that_grants_operator_write_passes_with_the_negotiated_protocol()
    {
        var result = await GatewayHandshakeProbe.RunAsync(Config(_gateway.Token), _state.Path, CancellationToken.None);

        Assert.True(result.Ok, result.Detail);
        Assert.Contains("protocol 4", result.Detail);
        Assert.Contains("operator.write", result.Detail);
        var connect = Assert.Single(_gateway.Connects);
        Assert.Equal((3, 4), (connect["minProtocol"]!.GetValue<int>(), connect["maxProtocol"]!.GetValue<int>()));
        Assert.NotNull(connect["device"]);
        Assert.DoesNotContain(_gateway.Token, result.Detail);
    }

    [Fact]
    public async Task A_connection_without_operator_write_fails_and_names_the_fix()
    {
        _gateway.GrantedScopes = [];

        var result = await GatewayHandshakeProbe.RunAsync(Config(_gateway.Token), _state.Path, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("missing scope", result.Detail);
        Assert.Contains("openclaw devices approve", result.Detail);
        Assert.Contains(OpenClawDeviceIdentity.LoadOrCreate(_state.Path).DeviceId, result.Detail);
    }

    [Fact]
    public async Task A_gateway_still_starting_says_to_probe_again()
    {
        _gateway.RefuseWhileStarting(TimeSpan.FromMinutes(1));

        var result = await GatewayHandshakeProbe.RunAsync(Config(_gateway.Token), _state.Path, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.StartsWith("starting:", result.Detail);
    }

    [Fact]
    public async Task A_missing_token_names_every_place_it_can_come_from()
    {
        var result = await GatewayHandshakeProbe.RunAsync(Config(null), _state.Path, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("token missing", result.Detail);
        Assert.Contains("OPENCLAW_GATEWAY_TOKEN", result.Detail);
    }
}
