namespace KakaoAspire.Moltbot.Config;

/// <summary>The config file cannot be used. Carries every problem found, not just the first.</summary>
public sealed class MoltbotConfigException : Exception
{
    public MoltbotConfigException(IReadOnlyList<ConfigError> errors, string? sourcePath = null)
        : base(FormatMessage(errors, sourcePath))
    {
        Errors = errors;
        SourcePath = sourcePath;
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    public string? SourcePath { get; }

    private static string FormatMessage(IReadOnlyList<ConfigError> errors, string? sourcePath)
    {
        var where = sourcePath is null ? "" : $" ({sourcePath})";
        var count = errors.Count == 1 ? "1 error" : $"{errors.Count} errors";
        var lines = errors.Select(e => $"  {e.Path}: {e.Message}");
        return $"Invalid Moltbot config{where}, {count}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
