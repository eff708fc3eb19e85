using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Readiness of a service this one cannot work without: its <c>/alive</c> answers 200. Its liveness, not its readiness,
/// so one Redis outage does not turn into a chain of services each waiting on the next.
/// </summary>
public sealed class DownstreamHealthCheck(IHttpClientFactory clients, string service) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static string ClientName(string service) => "health:" + service;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var response = await clients.CreateClient(ClientName(service))
                .GetAsync(Extensions.AlivenessEndpointPath, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{service} answered {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{service} is unreachable ({ex.GetType().Name})");
        }
    }
}

public static class DownstreamHealthCheckExtensions
{
    /// <summary>
    /// Makes <c>/health</c> (readiness) fail while <paramref name="service"/> (resolved by service discovery) does not
    /// answer; <c>/alive</c> (liveness) never looks at it.
    /// </summary>
    public static TBuilder AddDownstreamHealthCheck<TBuilder>(this TBuilder builder, string service) where TBuilder : IHostApplicationBuilder
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way.
        // A probe answers within seconds or it is a failure: no retries, no 30 s total timeout from the defaults.
        builder.Services.AddHttpClient(DownstreamHealthCheck.ClientName(service), client =>
            {
                client.BaseAddress = new Uri($"http://{service}");
                client.Timeout = DownstreamHealthCheck.Timeout + TimeSpan.FromSeconds(1);
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            service,
            services => new DownstreamHealthCheck(services.GetRequiredService<IHttpClientFactory>(), service),
            HealthStatus.Unhealthy,
            ["ready"]));
        return builder;
    }
}
