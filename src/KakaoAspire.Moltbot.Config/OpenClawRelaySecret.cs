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

/// <summary>Whether one of the Kakao plugin's routes answers on an OpenClaw gateway, asked with the relay secret.</summary>
public static class OpenClawPluginRoute
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True only for the route's own JSON answer holding <paramref name="marker"/>: the gateway's control UI answers 200
    /// with a page for unknown paths, so a 200 alone proves nothing. A refusal, a timeout or no gateway is false.
    /// </summary>
    public static async Task<bool> AnswersAsync(
        HttpClient client, Uri gatewayBase, string path, string gatewayToken, string marker, CancellationToken cancellationToken)
    {
        try
        {
            using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(gatewayBase, path));
            probe.Headers.Add(OpenClawRelaySecret.Header, OpenClawRelaySecret.Derive(gatewayToken));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            using var response = await client.SendAsync(probe, timeout.Token);
            return response.StatusCode == System.Net.HttpStatusCode.OK
                && response.Content.Headers.ContentType?.MediaType == "application/json"
                && (await response.Content.ReadAsStringAsync(timeout.Token)).Contains(marker, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
