namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// <c>gateway.auth.token</c>, or one generated on first start into the Kakao state folder (owner-only),
/// so the guide's configs, which set no token, still work for <c>kakao send</c> and pairing.
/// </summary>
public static class GatewayTokenStore
{
    public const string FileName = "gateway-token";

    public static GatewayToken Resolve(MoltbotConfig config, string kakaoStateDirectory)
    {
        if (!string.IsNullOrWhiteSpace(config.Gateway.AuthToken))
        {
            return new GatewayToken(config.Gateway.AuthToken, GatewayToken.FromConfig, null);
        }

        var path = Path.Combine(kakaoStateDirectory, FileName);
        return new GatewayToken(OwnerOnlySecretFile.ReadOrCreate(kakaoStateDirectory, path, "gateway token"), GatewayToken.Generated, path);
    }
}
