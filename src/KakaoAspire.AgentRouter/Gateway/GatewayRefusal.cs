using System.Text.Json;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// Turns a refused <c>connect</c> into a cause and a detail that names the fix. The gateway's words are kept (they
/// never hold our token); a pairing request id is kept too, since the operator types it into <c>openclaw devices approve</c>.
/// </summary>
internal static class GatewayRefusal
{
    public static MoltbotGatewayException From(GatewayResponse? hello, string close, bool sentDeviceToken, OpenClawDeviceIdentity? device)
    {
        if (hello is null)
        {
            var cause = close.StartsWith("1013", StringComparison.Ordinal) ? GatewayFailureCause.Starting
                : close.StartsWith("1008", StringComparison.Ordinal) ? GatewayFailureCause.HandshakeRejected
                : close.StartsWith("1002", StringComparison.Ordinal) ? GatewayFailureCause.ProtocolMismatch
                : GatewayFailureCause.Unreachable;
            return new MoltbotGatewayException(cause, $"closed during the handshake ({close})");
        }

        var code = hello.ErrorCode;
        var text = hello.ErrorMessage ?? "";
        var detailCode = hello.DetailCode;
        var said = $"{code}: {text} ({close})";

        if (code == "UNAVAILABLE" || close.StartsWith("1013", StringComparison.Ordinal))
        {
            return new MoltbotGatewayException(GatewayFailureCause.Starting, said, RetryAfter(hello));
        }
        if (close.StartsWith("1002", StringComparison.Ordinal) || text.Contains("protocol mismatch", StringComparison.OrdinalIgnoreCase))
        {
            var expected = Details(hello) is { } details && details.TryGetProperty("expectedProtocol", out var e) ? $" (it speaks {e})" : "";
            return new MoltbotGatewayException(GatewayFailureCause.ProtocolMismatch,
                $"{said}; the gateway speaks no protocol between {GatewayHandshake.MinProtocol} and {GatewayHandshake.MaxProtocol}{expected}: update OpenClaw or this channel");
        }
        if (detailCode == "PAIRING_REQUIRED" || text.StartsWith("pairing required", StringComparison.OrdinalIgnoreCase))
        {
            var requestId = GatewayResponse.Text(Details(hello), "requestId");
            return new MoltbotGatewayException(GatewayFailureCause.PairingRequired,
                $"{said}; approve this channel's device once on the gateway host: openclaw devices approve {requestId ?? "<request id from 'openclaw devices list'>"}" +
                $" (device {device?.DeviceId ?? GatewayResponse.Text(Details(hello), "deviceId")}); it then connects by itself");
        }
        if (sentDeviceToken && (detailCode == "AUTH_DEVICE_TOKEN_MISMATCH" || text.Contains("device token mismatch", StringComparison.OrdinalIgnoreCase)))
        {
            return new MoltbotGatewayException(GatewayFailureCause.DeviceTokenRejected,
                $"{said}; the stored device token was revoked or rotated and is forgotten: the next attempt signs in again (approve the device again if asked)");
        }
        if (code == "NOT_PAIRED" || detailCode == "AUTH_TOKEN_MISSING" || text.Contains("token missing", StringComparison.OrdinalIgnoreCase)
            || text.Contains("device identity required", StringComparison.OrdinalIgnoreCase))
        {
            return new MoltbotGatewayException(GatewayFailureCause.TokenMissing,
                $"{said}; set channels.kakao.moltbotGateway.token, gateway.auth.token or OPENCLAW_GATEWAY_TOKEN to the gateway's token");
        }
        if (text.StartsWith("unauthorized", StringComparison.OrdinalIgnoreCase) || detailCode == "AUTH_TOKEN_MISMATCH")
        {
            return new MoltbotGatewayException(GatewayFailureCause.TokenMismatch,
                $"{said}; channels.kakao.moltbotGateway.token (or gateway.auth.token / OPENCLAW_GATEWAY_TOKEN) differs from the gateway's gateway.auth.token");
        }
        return new MoltbotGatewayException(code is null && !close.StartsWith("1008", StringComparison.Ordinal)
            ? GatewayFailureCause.Unreachable
            : GatewayFailureCause.HandshakeRejected, said);
    }

    /// <summary>The fix for a connection without <c>operator.write</c>, for the log and for <c>status --probe</c>.</summary>
    public static string ScopeFix(OpenClawDeviceIdentity? device) => device is null
        ? "a client on another host needs a device identity, but the state folder has none; make the Kakao state folder writable and restart"
        : $"this device ({device.DeviceId}) is not approved for operator.write: on the gateway host run 'openclaw devices list' and " +
          "'openclaw devices approve <request id>' (or reach the gateway on loopback, where the token is enough); see docs/moltbot-gateway.md";

    private static JsonElement? Details(GatewayResponse hello) =>
        hello.Error is { } error && error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object ? details : null;

    // The gateway puts retryAfterMs on the error itself (observed), older builds inside details.
    private static TimeSpan? RetryAfter(GatewayResponse hello)
    {
        foreach (var holder in new[] { hello.Error, Details(hello) })
        {
            if (holder is { ValueKind: JsonValueKind.Object } h && h.TryGetProperty("retryAfterMs", out var value) && value.TryGetInt32(out var ms) && ms >= 0)
            {
                return TimeSpan.FromMilliseconds(ms);
            }
        }
        return null;
    }
}
