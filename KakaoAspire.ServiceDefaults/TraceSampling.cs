using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which traces are kept. The service a trace enters decides (a share of its traces, by trace id) and every service
/// downstream follows the caller's decision, so a kept trace is whole. In Production a tenth, since recording and
/// exporting every span costs more CPU than the request itself; everywhere else (Development: the dashboard shows each
/// request; Testing: the service tests read spans) every trace.
/// </summary>
public static class TraceSampling
{
    /// <summary>The share of traces kept, from 0 to 1.</summary>
    public const string RatioKey = "Telemetry:TraceSampleRatio";

    /// <summary>OpenTelemetry's own setting; when present the SDK reads it, and <c>OTEL_TRACES_SAMPLER_ARG</c>, itself.</summary>
    public const string StandardSamplerKey = "OTEL_TRACES_SAMPLER";

    public const double ProductionRatio = 0.1;

    /// <summary>
    /// The sampler to set, or null when <c>OTEL_TRACES_SAMPLER</c> is set: a sampler set in code would override it
    /// (the AppHost sets it to <c>always_on</c> in Development; a deployment may set <c>parentbased_traceidratio</c>).
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
        return new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio));
    }
}
