namespace KakaoAspire.Moltbot.Config;

/// <summary>Where the config file and the state folder live (DESIGN "Config file: names and defaults").</summary>
public static class MoltbotPaths
{
    public const string ConfigPathVariable = "MOLTBOT_CONFIG_PATH";
    public const string StateDirectoryVariable = "MOLTBOT_STATE_DIR";

    /// <summary>
    /// The config file's whole text (a deployment's secret parameter), read instead of any file: a container has no copy
    /// of the user's file. Plain JSON, or base64 of it (easier to paste into a one-line prompt).
    /// </summary>
    public const string ConfigJsonVariable = "MOLTBOT_CONFIG_JSON";

    /// <summary>The gateway API token (a deployment's secret parameter), shared by every service and replica.</summary>
    public const string GatewayTokenVariable = "MOLTBOT_GATEWAY_TOKEN";

    /// <summary>
    /// <c>MOLTBOT_CONFIG_PATH</c> (returned even when the file is missing: a set but missing path is an
    /// error at load), else <c>~/.moltbot.json</c> (the user's guide), else <c>~/.moltbot/moltbot.json</c>
    /// (Moltbot's own default), else null.
    /// </summary>
    public static string? ResolveConfigPath(Func<string, string?> env, string homeDirectory)
    {
        var fromEnv = env(ConfigPathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return ExpandHome(fromEnv.Trim(), homeDirectory);
        }

        return CandidateConfigPaths(homeDirectory).FirstOrDefault(File.Exists);
    }

    /// <summary>The files looked for, in order, when <c>MOLTBOT_CONFIG_PATH</c> is not set.</summary>
    public static IReadOnlyList<string> CandidateConfigPaths(string homeDirectory) =>
    [
        Path.Combine(homeDirectory, ".moltbot.json"),
        Path.Combine(homeDirectory, ".moltbot", "moltbot.json"),
    ];

    public static string StateDirectory(Func<string, string?> env, string homeDirectory)
    {
        var fromEnv = env(StateDirectoryVariable);
        return string.IsNullOrWhiteSpace(fromEnv)
            ? Path.Combine(homeDirectory, ".moltbot")
            : ExpandHome(fromEnv.Trim(), homeDirectory);
    }

    public static string KakaoStateDirectory(Func<string, string?> env, string homeDirectory) =>
        Path.Combine(StateDirectory(env, homeDirectory), "kakao");

    // Shells expand "~" only when unquoted; people still write MOLTBOT_CONFIG_PATH="~/x.json".
    private static string ExpandHome(string path, string homeDirectory)
    {
        if (path == "~")
        {
            return homeDirectory;
        }

        return path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(homeDirectory, path[2..])
            : path;
    }
}
