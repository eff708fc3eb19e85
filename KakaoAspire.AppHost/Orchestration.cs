using Microsoft.Extensions.Configuration;

namespace KakaoAspire.AppHost;

/// <summary>
/// AppHost settings that shape the orchestration around the services, not the services.
/// <list type="bullet">
/// <item><c>AppHost:Dashboard</c> (default true): false starts no dashboard, so no process receives and stores every
/// service's telemetry (and the services get no OTLP endpoint unless the user names one, see
/// <see cref="KeepsOtlpEndpoint"/>).</item>
/// <item><c>AppHost:Proxies</c> (default false): true puts a single replica behind the orchestrator's loopback proxy
/// too, as Aspire does by default (see <see cref="Direct"/>). Off, every call between the services and every Redis
/// command skip a hop through dcp: under the load test the development run made 1,060 skill requests/s instead of
/// 774, and dcp used 41 µs of CPU per request instead of 292 (docs/benchmarks.md, "Session 11").</item>
/// </list>
/// </summary>
public static class Orchestration
{
    public const string DashboardKey = "AppHost:Dashboard";
    public const string ProxiesKey = "AppHost:Proxies";

    /// <summary>
    /// The builder's options. <c>AppHost:Dashboard</c> is read here, from the arguments and the environment
    /// (<c>AppHost__Dashboard</c>), because Aspire decides whether to run the dashboard while it constructs the builder.
    /// </summary>
    public static DistributedApplicationOptions Options(string[] args, Func<string, string?> environment)
    {
        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [DashboardKey] = environment(DashboardKey.Replace(":", "__")) })
            .AddCommandLine(args)
            .Build();
        return new DistributedApplicationOptions { Args = args, DisableDashboard = !Flag(settings, DashboardKey) };
    }

    /// <summary>A true/false setting, <paramref name="whenAbsent"/> when absent; anything else stops the start with the setting's name.</summary>
    public static bool Flag(IConfiguration configuration, string key, bool whenAbsent = true)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return whenAbsent;
        }
        return bool.TryParse(value.Trim(), out var flag)
            ? flag
            : throw new InvalidOperationException($"{key} is '{value}'; set true or false, e.g. '--{key}=false'.");
    }

    /// <summary>
    /// Whether a resource with this many replicas listens on its own port (unless <c>AppHost:Proxies</c> is true).
    /// Replicas share one address only through the orchestrator's proxy, which spreads the connections over them, so
    /// more than one keeps it whatever the setting says.
    /// </summary>
    public static bool Direct(IConfiguration configuration, int replicas) =>
        replicas == 1 && !Flag(configuration, ProxiesKey, whenAbsent: false);

    /// <summary>Where Aspire sends the services' telemetry when the user names a receiver of their own.</summary>
    public static readonly string[] OtlpEndpointKeys = ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"];

    /// <summary>
    /// Whether the services keep the OTLP endpoint Aspire gives them: not without the dashboard, unless the user named
    /// a receiver (<see cref="OtlpEndpointKeys"/>). Without one, Aspire still points every service at the dashboard's
    /// default address, where nothing listens: each export fails and is retried from memory, which cost the services
    /// CPU while idle and memory under load.
    /// </summary>
    public static bool KeepsOtlpEndpoint(IConfiguration configuration) =>
        Flag(configuration, DashboardKey) || OtlpEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));

    /// <summary>The variables that turn a service's OTLP exporter on (ServiceDefaults adds none without the endpoint).</summary>
    public static void RemoveOtlpEndpoint(IDictionary<string, object> environment)
    {
        foreach (var key in environment.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }
    }

    /// <summary>OpenTelemetry's sampler variables; Aspire sets the first to <c>always_on</c> for every project it runs.</summary>
    private static readonly string[] TraceSamplerVariables = ["OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"];

    /// <summary>
    /// Replaces Aspire's <c>always_on</c> with the sampler the AppHost's own environment names, or with none, so each
    /// service's own default applies (ServiceDefaults' TraceSampling): in Development every trace up to ten new ones a
    /// second. With every trace kept, a load test spent more CPU in the dashboard than in the services
    /// (docs/benchmarks.md, "Session 8"). Aspire's value would otherwise win over the user's, which the services only
    /// inherit.
    /// </summary>
    public static void ApplyTraceSampler(IDictionary<string, object> environment, IConfiguration configuration)
    {
        foreach (var variable in TraceSamplerVariables)
        {
            if (configuration[variable] is { Length: > 0 } value)
            {
                environment[variable] = value;
            }
            else
            {
                environment.Remove(variable);
            }
        }
    }
}
