namespace KakaoAspire.Moltbot.Config;

/// <summary><c>channels.kakao.moltbotGateway</c>: the user's Moltbot gateway that runs "moltbot" agents.</summary>
public sealed record MoltbotGatewaySection
{
    public string Url { get; init; } = DefaultUrl(GatewaySection.DefaultPort);

    /// <summary>Null means "use gateway.auth.token" (see <see cref="EffectiveToken"/>).</summary>
    public string? Token { get; init; }

    public static string DefaultUrl(int gatewayPort) => $"ws://127.0.0.1:{gatewayPort}/";

    public string? EffectiveToken(GatewaySection gateway) => Token ?? gateway.AuthToken;

    public override string ToString() => $"MoltbotGatewaySection {{ Url = {Url}, Token = {Secret.Mask(Token)} }}";
}
