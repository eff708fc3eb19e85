using KakaoAspire.AppHost;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The user's Moltbot config as the AppHost sees it: where it is, what it says, where state lives.</summary>
internal sealed record MoltbotSettings(MoltbotConfig Config, string StateDirectory, GatewayToken Token)
{
    /// <summary>Publish mode only: the config file's text, a secret parameter (azd: <c>AZURE_MOLTBOT_CONFIG</c> or a prompt).</summary>
    public IResourceBuilder<ParameterResource>? ConfigParameter { get; init; }

    /// <summary>Publish mode only: the gateway API token, a secret parameter (azd: <c>AZURE_MOLTBOT_GATEWAY_TOKEN</c> or a prompt).</summary>
    public IResourceBuilder<ParameterResource>? TokenParameter { get; init; }

    public string KakaoStateDirectory => Path.Combine(StateDirectory, "kakao");

    public string RedisDataDirectory => Path.Combine(KakaoStateDirectory, "redis");

    public IEnumerable<int> WebhookPorts => Config.Kakao.EnabledAccounts.Select(a => a.WebhookPort).Distinct().Order();

    public void PrintWebhookUrls(DistributedApplication app, string? openClawProblem = null)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KakaoAspire");
        if (openClawProblem is not null)
        {
            logger.LogWarning("OpenClaw gateway not started: {OpenClawProblem}", openClawProblem);
        }
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
            if (account.WebhookSecret is not null)
            {
                // Where the value is, never the value: this line reaches the console, the dashboard and log files.
#pragma warning disable CA2254 // One template, shared with the webhook's own start log.
                logger.LogInformation(WebhookSecretStore.StartLogTemplate, account.Id, account.WebhookSecretHeader, WebhookSecretStore.Location(account));
#pragma warning restore CA2254
            }
        }
        foreach (var notice in SecurityNotices.For(Config))
        {
            logger.LogWarning("{SecurityNotice}", notice);
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
        // Tokens, secrets and the recorded AppHost path: owner-only, also when an earlier run or a copy left them wider.
        if (!builder.ExecutionContext.IsPublishMode)
        {
            OwnerOnly.EnsureDirectory(stateDirectory);
            OwnerOnly.TightenTree(kakaoState);
        }
        // Generated here once, before any service starts, so the services all read the same token and webhook secrets.
        var token = GatewayTokenStore.Resolve(config, kakaoState);
        if (!builder.ExecutionContext.IsPublishMode)
        {
            config = WebhookSecretStore.Apply(config, kakaoState);
            return new MoltbotSettings(config, stateDirectory, token);
        }
        // A deployed container has neither the user's file nor a shared state folder: both arrive as secrets, the same
        // value for every service and replica, and never in the manifest in clear.
        return new MoltbotSettings(config, stateDirectory, token)
        {
            ConfigParameter = builder.AddParameter(ConfigParameterName, secret: true)
                .WithDescription("The whole Moltbot config file (~/.moltbot.json) as JSON or base64, e.g. `base64 -w0 ~/.moltbot.json`. " +
                    "Put webhookSecret in it: a deployed container's state folder is not kept."),
            TokenParameter = builder.AddParameter(TokenParameterName, secret: true)
                .WithDescription("The gateway API token for /api/v1 (moltbot kakao send, pairing); any long random string, e.g. `openssl rand -base64 32`."),
        };
    }

    public const string ConfigParameterName = "moltbot-config";
    public const string TokenParameterName = "moltbot-gateway-token";

    /// <summary>
    /// How many processes of the webhook, agent-router and friendtalk run (AppHost setting <c>Scale:Replicas</c>, default 1;
    /// <c>Scale:webhook</c> etc. per service). Each keeps what must outlive it in Redis, so any count is correct.
    /// A single process listens on its launch profile's port itself unless <c>AppHost:Proxies</c> is true (the
    /// orchestrator's proxies are a local-run matter: a published app is left as Aspire describes it).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithScale(this IResourceBuilder<ProjectResource> project)
    {
        var configuration = project.ApplicationBuilder.Configuration;
        var value = configuration[$"Scale:{project.Resource.Name}"] ?? configuration["Scale:Replicas"] ?? "1";
        if (!int.TryParse(value, out var replicas) || replicas < 1 || replicas > 20)
        {
            throw new InvalidOperationException(
                $"Scale:Replicas (or Scale:{project.Resource.Name}) is '{value}'; set a whole number from 1 to 20, e.g. '--Scale:Replicas=2'.");
        }
        if (!project.ApplicationBuilder.ExecutionContext.IsPublishMode && Orchestration.Direct(configuration, replicas))
        {
            // Without the proxy the endpoint's port (the launch profile's applicationUrl) is where the service listens.
            return project.WithEndpoint("http", endpoint => endpoint.IsProxied = false);
        }
        return replicas == 1 ? project : project.WithReplicas(replicas);
    }

    /// <summary>
    /// Readiness (<c>/health</c>: Redis and the required downstream answer) and liveness (<c>/alive</c>: the process answers,
    /// whatever its dependencies do, so a Redis outage never restarts every container), for the orchestrator and the
    /// container app definitions alike.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHealthProbes(this IResourceBuilder<ProjectResource> project, string endpointName = "http")
    {
#pragma warning disable ASPIREPROBES001 // Probes are marked for evaluation; they are how the manifest carries them to azd.
        // The readiness probe is also the orchestrator's health check (WaitFor, the dashboard).
        return project
            .WithHttpProbe(ProbeType.Readiness, "/health", periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, endpointName: endpointName)
            .WithHttpProbe(ProbeType.Liveness, "/alive", periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, endpointName: endpointName);
#pragma warning restore ASPIREPROBES001
    }

    /// <summary>
    /// Every service runs in the AppHost's own environment: Development only when the developer started the AppHost so
    /// (its launch profile, `dotnet run --project KakaoAspire.AppHost`), Production for `moltbot gateway run`. The
    /// services' own launch profiles no longer say Development, so nothing turns the simulator on behind the AppHost's back.
    /// Without a dashboard the services get no OTLP endpoint either, unless the user named a receiver (Orchestration).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAppHostEnvironment(this IResourceBuilder<ProjectResource> project)
    {
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return project; // a deployment is Production unless it says otherwise
        }
        var environment = project.ApplicationBuilder.Environment.EnvironmentName;
        var configuration = project.ApplicationBuilder.Configuration;
        var keepsOtlp = Orchestration.KeepsOtlpEndpoint(configuration);
        return project
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", environment)
            .WithEnvironment("DOTNET_ENVIRONMENT", environment)
            .WithEnvironment(context =>
            {
                // Runs after Aspire's own OTLP variables (added with the project): without a receiver they go, and
                // Aspire's every-trace sampler gives way to the user's or the services' own.
                if (!keepsOtlp)
                {
                    Orchestration.RemoveOtlpEndpoint(context.EnvironmentVariables);
                }
                Orchestration.ApplyTraceSampler(context.EnvironmentVariables, configuration);
            });
    }

    /// <summary>Every service reads the same config file and state folder as the AppHost.</summary>
    public static IResourceBuilder<ProjectResource> WithMoltbotConfig(
        this IResourceBuilder<ProjectResource> project, MoltbotSettings settings)
    {
        if (project.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            // Local paths mean nothing in a deployed container; there the config and token are secret parameters.
            return project
                .WithEnvironment(MoltbotPaths.ConfigJsonVariable, settings.ConfigParameter!)
                .WithEnvironment(MoltbotPaths.GatewayTokenVariable, settings.TokenParameter!);
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

    /// <summary>
    /// The dashboard's links on the edge: each enabled account's skill URL (the one to paste into Open Builder) and, in
    /// Development, the local simulator. The ports are fixed (webhookPort), so the links are known before the start.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSkillUrls(
        this IResourceBuilder<ProjectResource> edge, MoltbotSettings settings)
    {
        return edge.WithUrls(context =>
        {
            foreach (var account in settings.Config.Kakao.EnabledAccounts)
            {
                context.Urls.Add(new ResourceUrlAnnotation
                {
                    Url = $"http://localhost:{account.WebhookPort}{account.WebhookPath}",
                    DisplayText = $"Kakao skill URL ({account.Id})",
                });
            }
            if (edge.ApplicationBuilder.Environment.IsDevelopment() && settings.WebhookPorts.FirstOrDefault() is > 0 and var port)
            {
                context.Urls.Add(new ResourceUrlAnnotation { Url = $"http://localhost:{port}/simulator/", DisplayText = "Simulator" });
            }
        });
    }
}
