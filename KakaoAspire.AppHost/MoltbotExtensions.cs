using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The user's Moltbot config as the AppHost sees it: where it is, what it says, where state lives.</summary>
internal sealed record MoltbotSettings(MoltbotConfig Config, string StateDirectory, GatewayToken Token)
{
    public string KakaoStateDirectory => Path.Combine(StateDirectory, "kakao");

    public string RedisDataDirectory => Path.Combine(KakaoStateDirectory, "redis");

    public IEnumerable<int> WebhookPorts => Config.Kakao.EnabledAccounts.Select(a => a.WebhookPort).Distinct().Order();

    public void PrintWebhookUrls(DistributedApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KakaoAspire");
        logger.LogInformation("Moltbot config: {ConfigPath}", Config.SourcePath ?? "(none found: defaults)");
        foreach (var warning in Config.Warnings)
        {
            logger.LogWarning("{ConfigWarning}", warning);
        }
        foreach (var account in Config.Kakao.EnabledAccounts)
        {
            logger.LogInformation(
                "Kakao skill URL for account {AccountId}: http://{Host}:{Port}{Path} (paste it into Kakao i Open Builder as the skill URL)",
                account.Id, Environment.MachineName, account.WebhookPort, account.WebhookPath);
        }
        logger.LogInformation("Gateway API token ({TokenSource}): {TokenLocation}",
            Token.Source, Token.FilePath ?? "gateway.auth.token in the config");
    }
}

internal static class MoltbotExtensions
{
    /// <summary>
    /// Loads the Moltbot config once for the AppHost. <c>Moltbot:ConfigPath</c> and <c>Moltbot:StateDirectory</c>
    /// (AppHost settings) override the usual lookup; tests use them to point at temp folders.
    /// </summary>
    public static MoltbotSettings LoadMoltbotSettings(this IDistributedApplicationBuilder builder)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions
        {
            Path = builder.Configuration["Moltbot:ConfigPath"],
        });
        // Beside the file that was read: ~/.openclaw for OpenClaw's file, else ~/.moltbot.
        var stateDirectory = builder.Configuration["Moltbot:StateDirectory"]
            ?? MoltbotPaths.StateDirectory(Environment.GetEnvironmentVariable, home, config.SourcePath);
        var kakaoState = Path.Combine(stateDirectory, "kakao");
        // Generated here once, before any service starts, so the services all read the same token.
        var token = GatewayTokenStore.Resolve(config, kakaoState);
        return new MoltbotSettings(config, stateDirectory, token);
    }

    /// <summary>Every service reads the same config file and state folder as the AppHost.</summary>
    public static IResourceBuilder<ProjectResource> WithMoltbotConfig(
        this IResourceBuilder<ProjectResource> project, MoltbotSettings settings)
    {
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            // Local paths mean nothing in a deployed container; there the config comes with the deployment.
            return project;
        }
        if (settings.Config.SourcePath is { } path)
        {
            project.WithEnvironment("MOLTBOT_CONFIG_PATH", Path.GetFullPath(path));
        }
        return project.WithEnvironment("MOLTBOT_STATE_DIR", settings.StateDirectory);
    }

    /// <summary>
    /// One endpoint per distinct webhookPort, not proxied: the edge itself listens on all interfaces there,
    /// so Kakao reaches it directly (Kakao's 5 s budget has no room for an extra hop).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWebhookPorts(
        this IResourceBuilder<ProjectResource> edge, MoltbotSettings settings)
    {
        var first = true;
        foreach (var port in settings.WebhookPorts)
        {
            edge.WithHttpEndpoint(port: port, targetPort: port, name: first ? "http" : $"http-{port}", isProxied: false);
            first = false;
        }
        return edge.WithExternalHttpEndpoints();
    }
}
