namespace KakaoAspire.Gateway.Protocol;

/// <summary>
/// The <c>connect</c> request both the agent-router and <c>moltbot kakao status --probe</c> send: protocols 3–4, a backend
/// <c>gateway-client</c> in the operator role asking operator.read and operator.write, the shared token and/or the
/// device token, and, when the gateway sent <c>connect.challenge</c>, the device identity's signature over it.
/// </summary>
public static class GatewayHandshake
{
    /// <summary>Our protocol range: Moltbot's 3 and OpenClaw's 4 (which refuses an exact 3); the gateway picks.</summary>
    public const int MinProtocol = 3;
    public const int MaxProtocol = 4;

    /// <summary>Without it every run fails with "missing scope".</summary>
    public const string WriteScope = "operator.write";
    public const string Role = "operator";
    public const string ClientId = "gateway-client";
    public const string ClientMode = "backend";
    public const string Platform = "dotnet";
    public static readonly IReadOnlyList<string> RequestedScopes = ["operator.read", WriteScope];

    /// <summary>
    /// The params of <c>connect</c>. <paramref name="gatewayKey"/> names the gateway a device token was issued by.
    /// The signature covers the token we authenticate with: the shared one when set, else the device token.
    /// </summary>
    public static ConnectParams ConnectParams(
        ClientInfo client, string userAgent, string? token, OpenClawDeviceIdentity? device, string gatewayKey, ConnectChallenge? challenge)
    {
        var deviceToken = device?.DeviceToken(gatewayKey, Role);
        var sharedToken = string.IsNullOrEmpty(token) ? null : token;
        var auth = sharedToken is null && deviceToken is null ? null : new ConnectAuth(sharedToken, deviceToken);
        ConnectDevice? signed = null;
        if (device is not null && challenge is { } c)
        {
            var payload = OpenClawDeviceIdentity.PayloadV3(device.DeviceId, ClientId, ClientMode, Role, RequestedScopes,
                c.Ts, sharedToken ?? deviceToken, c.Nonce, Platform, deviceFamily: null);
            signed = new ConnectDevice(device.DeviceId, device.PublicKey, device.Sign(payload), c.Ts, c.Nonce);
        }
        return new ConnectParams(MinProtocol, MaxProtocol, client, Role, RequestedScopes, auth, signed, userAgent);
    }

    /// <summary>A client of ours: <c>gateway-client</c>, backend mode, .NET.</summary>
    public static ClientInfo Client(string displayName, string version, string? instanceId) =>
        new(ClientId, displayName, version, Platform, ClientMode, instanceId);

    /// <summary>The gateway's WebSocket address for a configured http(s) or ws(s) URL.</summary>
    public static Uri WebSocketUrl(string url)
    {
        var builder = new UriBuilder(url);
        builder.Scheme = builder.Scheme switch { "http" => "ws", "https" => "wss", var s => s };
        return builder.Uri;
    }
}

/// <summary>The <c>connect.challenge</c> event's payload: what a device identity signs.</summary>
public readonly record struct ConnectChallenge(string Nonce, long Ts);
