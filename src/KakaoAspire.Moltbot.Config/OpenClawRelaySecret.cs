using System.Security.Cryptography;
using System.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// The secret the Kakao plugin's routes (the relay, pairing) check: HMAC-SHA256 of a fixed label keyed with the gateway token.
/// Both sides hold the token already; neither sends it, and the relay secret cannot be used as a gateway token.
/// The plugin computes the same value (plugins/openclaw-kakao/src/relay-secret.js).
/// </summary>
public static class OpenClawRelaySecret
{
    public const string Header = "x-kakao-relay-secret";
    public const string Path = "kakao/relay";
    public const string PairingPath = "kakao/pairing";

    public static string Derive(string gatewayToken) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(gatewayToken), "kakao-relay-v1"u8));
}
