namespace KakaoAspire.Moltbot.Config;

/// <summary>The two keys of Moltbot's <c>gateway</c> section we read.</summary>
public sealed record GatewaySection
{
    public const int DefaultPort = 18789;

    /// <summary><c>gateway.auth.token</c>: the bearer for our /api/v1/*. Null: see <see cref="GatewayTokenStore"/>.</summary>
    public string? AuthToken { get; init; }

    public int Port { get; init; } = DefaultPort;

    public override string ToString() => $"GatewaySection {{ AuthToken = {Secret.Mask(AuthToken)}, Port = {Port} }}";
}
