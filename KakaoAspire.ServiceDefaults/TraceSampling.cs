using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which traces are kept. The service a trace enters decides (a share of its traces, by trace id, and at most a number
/// a second) and every service downstream follows the caller's decision, so a kept trace is whole. In Production a
/// tenth, since recording and exporting every span costs more CPU than the request itself. In Development every trace
/// up to ten new ones a second: each request a developer sends is in the dashboard, and a load test sends it a steady
/// sample instead of every request. In Testing (the service tests read spans) every trace.
/// </summary>
public static class TraceSampling
{
    /// <summary>The share of traces kept, from 0 to 1.</summary>
    public const string RatioKey = "Telemetry:TraceSampleRatio";

    /// <summary>OpenTelemetry's own setting; when present the SDK reads it, and <c>OTEL_TRACES_SAMPLER_ARG</c>, itself.</summary>
    public const string StandardSamplerKey = "OTEL_TRACES_SAMPLER";

    /// <summary>New traces a service keeps a second at most; 0 for no limit.</summary>
    public const string PerSecondKey = "Telemetry:MaxTracesPerSecond";

    public const double ProductionRatio = 0.1;

    public const double DevelopmentPerSecond = 10;

    /// <summary>
    /// The sampler to set, or null when <c>OTEL_TRACES_SAMPLER</c> is set: a sampler set in code would override it
    /// (a deployment may set <c>parentbased_traceidratio</c>; the AppHost removes the <c>always_on</c> Aspire gives every
    /// project, unless the AppHost's own environment sets one).
    /// </summary>
    public static Sampler? For(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(configuration[StandardSamplerKey]))
        {
            return null;
        }
        var ratio = configuration.GetValue<double?>(RatioKey) ?? (environment.IsProduction() ? ProductionRatio : 1.0);
        if (ratio is < 0 or > 1 || double.IsNaN(ratio))
        {
            throw new InvalidOperationException(
                $"{RatioKey} must be from 0 to 1 (the share of traces kept); remove it for the default of {ProductionRatio} in Production and 1 elsewhere.");
        }
        var perSecond = configuration.GetValue<double?>(PerSecondKey) ?? (environment.IsDevelopment() ? DevelopmentPerSecond : 0);
        if (perSecond < 0 || double.IsNaN(perSecond))
        {
            throw new InvalidOperationException(
                $"{PerSecondKey} must be a number of new traces a second, or 0 for no limit; remove it for the default of {DevelopmentPerSecond} in Development and no limit elsewhere.");
        }
        Sampler root = new TraceIdRatioBasedSampler(ratio);
        return new ParentBasedSampler(perSecond > 0 ? new TracesPerSecondSampler(root, perSecond) : root);
    }
}
