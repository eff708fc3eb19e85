using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Service defaults every KakaoAspire service shares: telemetry, health checks, service discovery, resilience.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>
    /// The activity sources and meters of our own telemetry: spans (skill turn, agent call, model call, provider send)
    /// and metrics (skill outcomes, reply time, callbacks, agent turns, outbound sends, queue depth, daily cap).
    /// </summary>
    public const string ActivitySourcePrefix = "KakaoAspire.";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        // Console lines carry the trace id too, so a request can be followed across services' logs.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddSimpleConsole(options => options.IncludeScopes = true);

        // A span per Redis command or outgoing call only when asked for (TelemetrySettings): a skill turn's trace is the
        // edge, webhook and router server spans with our own skill request and agent turn, each with its attributes.
        TelemetrySettings.ApplyRedisDefault(builder.Configuration);
        var httpClientSpans = TelemetrySettings.HttpClientSpans(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(ActivitySourcePrefix + "*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource(ActivitySourcePrefix + "*")
                    // Health probes every few seconds would drown the traces that matter: neither the probed side nor
                    // the probing side (the downstream readiness check) records them.
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path));
                if (httpClientSpans)
                {
                    // A filtered call tells the callee "not sampled", so only probes are filtered.
                    tracing.AddHttpClientInstrumentation(options =>
                        options.FilterHttpRequestMessage = request => !IsProbe(request.RequestUri?.AbsolutePath));
                }
                else
                {
                    CallerSpanPropagator.Install();
                }
            });
        // Decided when the provider is built, from the final configuration (tests and hosts add settings late).
        builder.Services.ConfigureOpenTelemetryTracerProvider((services, tracing) =>
        {
            if (TraceSampling.For(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()) is { } sampler)
            {
                tracing.SetSampler(sampler);
            }
        });
        // Providers put credentials in URL paths (each service registers its rule with AddUrlRedaction): the span of
        // an outgoing call, when client spans are asked for, carries the URL without them.
        builder.Services.TryAddSingleton<UrlRedaction>();
        builder.Services.AddOptions<HttpClientTraceInstrumentationOptions>()
            .Configure<UrlRedaction>((options, redaction) => options.EnrichWithHttpRequestMessage = (activity, request) =>
                activity.SetTag("url.full", redaction.Redact(request.RequestUri)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    private static bool IsProbe(string? path) => path is not null && IsProbe(new PathString(path));

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps /health (readiness: every check must pass, Redis and required downstream services included) and /alive
    /// (liveness: the process answers, whatever its dependencies do, so an outage elsewhere never restarts it). Both are
    /// mapped in every environment: the orchestrator, the container platform and the test host probe them, and they
    /// reveal nothing secret (status only).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        });
        return app;
    }
}
