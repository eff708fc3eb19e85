namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// Where the config file and the state folder live (docs/contracts.md#the-config-file). The seed's names come
/// first; OpenClaw's current names (Moltbot's new name) are read beside them, so a user of either finds their file.
/// </summary>
public static class MoltbotPaths
{
    public const string ConfigPathVariable = "MOLTBOT_CONFIG_PATH";
    public const string OpenClawConfigPathVariable = "OPENCLAW_CONFIG_PATH";
    public const string StateDirectoryVariable = "MOLTBOT_STATE_DIR";
    public const string OpenClawStateDirectoryVariable = "OPENCLAW_STATE_DIR";

    /// <summary>OpenClaw's environment name for <c>gateway.auth.token</c>; the file's value wins.</summary>
    public const string OpenClawGatewayTokenVariable = "OPENCLAW_GATEWAY_TOKEN";

    /// <summary>
    /// The config file's whole text (a deployment's secret parameter), read instead of any file: a container has no copy
    /// of the user's file. Plain JSON, or base64 of it (easier to paste into a one-line prompt).
    /// </summary>
    public const string ConfigJsonVariable = "MOLTBOT_CONFIG_JSON";

    /// <summary>The gateway API token (a deployment's secret parameter), shared by every service and replica.</summary>
    public const string GatewayTokenVariable = "MOLTBOT_GATEWAY_TOKEN";

    /// <summary>
    /// <c>MOLTBOT_CONFIG_PATH</c>, then <c>OPENCLAW_CONFIG_PATH</c> (returned even when the file is missing: a set but
    /// missing path is an error at load), else the first of <see cref="CandidateConfigPaths"/> that exists, else null.
    /// </summary>
    public static string? ResolveConfigPath(Func<string, string?> env, string homeDirectory)
    {
        if (ConfigPathVariableInUse(env) is { } variable)
        {
            return ExpandHome(env(variable)!.Trim(), homeDirectory);
        }

        return CandidateConfigPaths(homeDirectory).FirstOrDefault(File.Exists);
    }

    /// <summary>The variable that names the config file (<c>MOLTBOT_CONFIG_PATH</c> first), or null when neither is set.</summary>
    public static string? ConfigPathVariableInUse(Func<string, string?> env) =>
        new[] { ConfigPathVariable, OpenClawConfigPathVariable }.FirstOrDefault(name => !string.IsNullOrWhiteSpace(env(name)));

    /// <summary>
    /// The files looked for, in order, when no path variable is set: the user's guide's <c>~/.moltbot.json</c>,
    /// Moltbot's <c>~/.moltbot/moltbot.json</c>, then OpenClaw's <c>~/.openclaw/openclaw.json</c>.
    /// </summary>
    public static IReadOnlyList<string> CandidateConfigPaths(string homeDirectory) =>
    [
        Path.Combine(homeDirectory, ".moltbot.json"),
        Path.Combine(homeDirectory, ".moltbot", "moltbot.json"),
        OpenClawDefaultConfigPath(homeDirectory),
    ];

    /// <summary>
    /// <c>MOLTBOT_STATE_DIR</c>, then <c>OPENCLAW_STATE_DIR</c>; otherwise the state folder beside the config file that
    /// was used: <c>~/.openclaw</c> for OpenClaw's file (<c>~/.openclaw/openclaw.json</c> or <c>OPENCLAW_CONFIG_PATH</c>,
    /// as OpenClaw itself does), else <c>~/.moltbot</c> (also for no file at all).
    /// </summary>
    public static string StateDirectory(Func<string, string?> env, string homeDirectory, string? configPath = null)
    {
        foreach (var variable in new[] { StateDirectoryVariable, OpenClawStateDirectoryVariable })
        {
            if (env(variable) is { } value && !string.IsNullOrWhiteSpace(value))
            {
                return ExpandHome(value.Trim(), homeDirectory);
            }
        }

        return IsOpenClawFile(env, homeDirectory, configPath)
            ? Path.Combine(homeDirectory, ".openclaw")
            : Path.Combine(homeDirectory, ".moltbot");
    }

    public static string KakaoStateDirectory(Func<string, string?> env, string homeDirectory, string? configPath = null) =>
        Path.Combine(StateDirectory(env, homeDirectory, configPath), "kakao");

    private static string OpenClawDefaultConfigPath(string homeDirectory) => Path.Combine(homeDirectory, ".openclaw", "openclaw.json");

    private static bool IsOpenClawFile(Func<string, string?> env, string homeDirectory, string? configPath)
    {
        if (configPath is null)
        {
            return false;
        }
        var full = Path.GetFullPath(ExpandHome(configPath, homeDirectory));
        if (full == Path.GetFullPath(OpenClawDefaultConfigPath(homeDirectory)))
        {
            return true;
        }
        // MOLTBOT_CONFIG_PATH wins over OPENCLAW_CONFIG_PATH, so the latter named the file only when the former is unset.
        return ConfigPathVariableInUse(env) == OpenClawConfigPathVariable
            && full == Path.GetFullPath(ExpandHome(env(OpenClawConfigPathVariable)!.Trim(), homeDirectory));
    }

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
