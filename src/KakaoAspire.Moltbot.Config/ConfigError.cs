namespace KakaoAspire.Moltbot.Config;

/// <summary>One problem in the config file: the JSON path it sits at and what to do about it.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
