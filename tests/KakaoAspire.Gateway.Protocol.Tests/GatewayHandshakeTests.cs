using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace KakaoAspire.Gateway.Protocol.Tests;

/// <summary>The connect request the agent-router and the CLI's probe send, as the gateway's schema checks it.</summary>
public sealed class GatewayHandshakeTests : IDisposable
{
    private const string Gateway = "ws://10.0.0.5:18789";
    private static readonly ConnectChallenge Challenge = new("nonce-1", 1737264000000);
    private readonly TempDirectory _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public void The_challenge_is_signed_over_the_shared_token_when_one_is_set()
    {
        var device = OpenClawDeviceIdentity.LoadOrCreate(_state.Path);
        device.SaveDeviceToken(Gateway, GatewayHandshake.Role, "device-token-1", ["operator.read", "operator.write"]);

        var connect = Json(GatewayHandshake.ConnectParams(Client(), "kakao-channel/1.0.0", "shared-token", device, Gateway, Challenge));

        Assert.Equal("shared-token", (string?)connect["auth"]!["token"]);
        Assert.Equal("device-token-1", (string?)connect["auth"]!["deviceToken"]);
        Assert.True(Verifies(device, connect["device"]!, "shared-token"));
    }

    [Fact]
    public void Without_a_shared_token_the_device_token_is_signed_and_sent_alone()
    {
        var device = OpenClawDeviceIdentity.LoadOrCreate(_state.Path);
        device.SaveDeviceToken(Gateway, GatewayHandshake.Role, "device-token-1", ["operator.read", "operator.write"]);

        var connect = Json(GatewayHandshake.ConnectParams(Client(), "kakao-channel/1.0.0", token: "", device, Gateway, Challenge));

        Assert.Equal(["deviceToken"], connect["auth"]!.AsObject().Select(p => p.Key));
        Assert.True(Verifies(device, connect["device"]!, "device-token-1"));
    }

    [Fact]
    public void A_connect_without_challenge_token_or_instance_writes_no_null_the_gateway_would_refuse()
    {
        var device = OpenClawDeviceIdentity.LoadOrCreate(_state.Path);

        var connect = Json(GatewayHandshake.ConnectParams(Client(), "moltbot-kakao-cli/1.0.0", token: null, device, Gateway, challenge: null));

        Assert.Equal(["minProtocol", "maxProtocol", "client", "role", "scopes", "userAgent"], connect.Select(p => p.Key));
        Assert.Equal(["id", "displayName", "version", "platform", "mode"], connect["client"]!.AsObject().Select(p => p.Key));
        Assert.Equal((3, 4), ((int)connect["minProtocol"]!, (int)connect["maxProtocol"]!));
        Assert.Equal(["operator.read", "operator.write"], connect["scopes"]!.AsArray().Select(s => (string?)s));
    }

    [Theory]
    [InlineData("http://127.0.0.1:18789", "ws://127.0.0.1:18789/")]
    [InlineData("https://gateway.example:443/", "wss://gateway.example/")]
    [InlineData("ws://10.0.0.5:18789", "ws://10.0.0.5:18789/")]
    public void A_configured_http_url_is_dialled_as_a_websocket(string configured, string dialled) =>
        Assert.Equal(dialled, GatewayHandshake.WebSocketUrl(configured).ToString());

    private static ClientInfo Client() => GatewayHandshake.Client("KakaoTalk channel", "1.0.0", instanceId: null);

    private static JsonObject Json(ConnectParams parameters) =>
        JsonSerializer.SerializeToNode(parameters, GatewayJsonContext.Default.ConnectParams)!.AsObject();

    private static bool Verifies(OpenClawDeviceIdentity device, JsonNode signed, string token)
    {
        Assert.Equal((device.DeviceId, device.PublicKey, "nonce-1", 1737264000000L),
            ((string?)signed["id"], (string?)signed["publicKey"], (string?)signed["nonce"], (long)signed["signedAt"]!));
        var payload = OpenClawDeviceIdentity.PayloadV3(device.DeviceId, "gateway-client", "backend", "operator",
            ["operator.read", "operator.write"], 1737264000000, token, "nonce-1", "dotnet", null);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Base64Url.DecodeFromChars(device.PublicKey), KeyBlobFormat.RawPublicKey);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, Encoding.UTF8.GetBytes(payload), Base64Url.DecodeFromChars((string)signed["signature"]!));
    }
}
