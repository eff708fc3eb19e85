namespace KakaoAspire.Moltbot.Config;

/// <summary>The bearer for our /api/v1/*. <see cref="Source"/>: "config" | "generated" | "environment".</summary>
public sealed record GatewayToken(string Value, string Source, string? FilePath)
{
    public const string FromConfig = "config";
    public const string Generated = "generated";
    public const string FromEnvironment = "environment";

    public override string ToString() => $"GatewayToken {{ Value = ***, Source = {Source}, FilePath = {FilePath} }}";
}
