namespace KakaoAspire.Moltbot.Config;

/// <summary>The bearer for our /api/v1/*. <see cref="Source"/>: "config" | "generated".</summary>
public sealed record GatewayToken(string Value, string Source, string? FilePath)
{
    public const string FromConfig = "config";
    public const string Generated = "generated";

    public override string ToString() => $"GatewayToken {{ Value = ***, Source = {Source}, FilePath = {FilePath} }}";
}
