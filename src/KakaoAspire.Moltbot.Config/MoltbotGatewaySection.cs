namespace KakaoAspire.Moltbot.Config;

/// <summary><c>channels.kakao.moltbotGateway</c>: the user's Moltbot gateway that runs "moltbot" agents.</summary>
public sealed record MoltbotGatewaySection
{
    public string Url { get; init; } = DefaultUrl(GatewaySection.DefaultPort);

    /// <summary>Null means "use gateway.auth.token" (see <see cref="EffectiveToken"/>).</summary>
    public string? Token { get; init; }

    /// <summary><c>transport</c>: plugin relay, operator WebSocket, or auto (plugin when its relay answers).</summary>
    public OpenClawTransport Transport { get; init; } = OpenClawTransport.Auto;

    /// <summary><c>run</c>: the AppHost runs a local OpenClaw gateway (with the Kakao plugin) on this URL's port.</summary>
    public bool Run { get; init; }

    /// <summary>The gateway's HTTP base (same port as its WebSocket), where plugin routes such as the relay live.</summary>
    public Uri HttpBase
    {
        get
        {
            var uri = new Uri(Url);
            var scheme = uri.Scheme is "wss" or "https" ? "https" : "http";
            return new Uri($"{scheme}://{uri.Authority}/");
        }
    }

    public static string DefaultUrl(int gatewayPort) => $"ws://127.0.0.1:{gatewayPort}/";

    public string? EffectiveToken(GatewaySection gateway) => Token ?? gateway.AuthToken;

    public override string ToString() => $"MoltbotGatewaySection {{ Url = {Url}, Token = {Secret.Mask(Token)}, Transport = {Transport}, Run = {Run} }}";
}
