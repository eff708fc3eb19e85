namespace KakaoAspire.Moltbot.Config;

/// <summary>Where <see cref="MoltbotConfigLoader.Load"/> looks; tests replace the environment and home folder.</summary>
public sealed record MoltbotConfigLoadOptions
{
    /// <summary>An explicit config file; when null the path is resolved by <see cref="MoltbotPaths.ResolveConfigPath"/>.</summary>
    public string? Path { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public string HomeDirectory { get; init; } =
        System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
}
