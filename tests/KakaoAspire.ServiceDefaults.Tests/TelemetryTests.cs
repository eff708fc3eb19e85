using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace KakaoAspire.ServiceDefaults.Tests;

/// <summary>
/// Which traces a service exports. Each host listens to an activity source named after it alone (outside the
/// KakaoAspire. prefix every host listens to), so another test's host and sampler never decide for this one.
/// </summary>
[Collection(HttpSpans.Collection)]
public sealed class TelemetryTests
{
    private const int Requests = 1000;

    private sealed class Service : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly ActivitySource _source;

        public List<Activity> Exported { get; } = [];

        public Service(string environment, IReadOnlyDictionary<string, string?>? settings = null)
        {
            var name = $"SamplingTest.{Guid.NewGuid():N}";
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ApplicationName = name });
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            builder.ConfigureOpenTelemetry();
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Exported));
            _host = builder.Build();
            _source = new ActivitySource(name);
        }

        public Task StartAsync() => _host.StartAsync();

        /// <summary>Runs <paramref name="count"/> requests, each a new trace, or each the child of <paramref name="parent"/>.</summary>
        public void Run(int count, ActivityContext parent = default)
        {
            for (var i = 0; i < count; i++)
            {
                using var request = _source.StartActivity("request", ActivityKind.Server, parent);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            _source.Dispose();
        }
    }

    private static ActivityContext RemoteParent(bool sampled) => new(
        ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);

    [Theory]
    [InlineData("Testing", null)]
    [InlineData("Development", "0")]
    public async Task In_testing_and_in_development_without_a_limit_every_trace_is_exported(string environment, string? perSecond)
    {
        await using var service = new Service(environment, new Dictionary<string, string?> { [TraceSampling.PerSecondKey] = perSecond });
        await service.StartAsync();

        service.Run(Requests);

        Assert.Equal(Requests, service.Exported.Count);
    }

    [Fact]
    public async Task In_development_a_burst_exports_ten_new_traces_and_the_callers_kept_traces_all()
    {
        await using var service = new Service(Environments.Development);
        await service.StartAsync();

        service.Run(Requests);
        // Ten at once, and one more per tenth of a second the burst took (a few ms here, seconds on a stalled machine).
        Assert.InRange(service.Exported.Count, 10, 60);

        var before = service.Exported.Count;
        service.Run(100, RemoteParent(sampled: true));
        Assert.Equal(before + 100, service.Exported.Count);
    }

    [Fact]
    public async Task A_negative_number_of_traces_a_second_stops_the_start_and_names_the_setting()
    {
        await using var service = new Service(Environments.Development, new Dictionary<string, string?> { [TraceSampling.PerSecondKey] = "-1" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(service.StartAsync);

        Assert.Contains(TraceSampling.PerSecondKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_about_a_tenth_of_new_traces_is_exported()
    {
        await using var service = new Service(Environments.Production);
        await service.StartAsync();

        service.Run(Requests);

        // Kept by trace id, so the share varies a little around 100 of 1000; never all, never none.
        Assert.InRange(service.Exported.Count, 30, 250);
    }

    [Fact]
    public async Task A_service_keeps_the_trace_its_caller_kept_and_drops_the_one_it_dropped()
    {
        await using var service = new Service(Environments.Production);
        await service.StartAsync();

        service.Run(100, RemoteParent(sampled: true));
        Assert.Equal(100, service.Exported.Count);

        service.Run(100, RemoteParent(sampled: false));
        Assert.Equal(100, service.Exported.Count);
    }

    [Fact]
    public async Task The_setting_sets_the_share()
    {
        await using var everything = new Service(Environments.Production, new Dictionary<string, string?> { [TraceSampling.RatioKey] = "1" });
        await everything.StartAsync();
        everything.Run(Requests);
        Assert.Equal(Requests, everything.Exported.Count);

        await using var nothing = new Service(Environments.Development, new Dictionary<string, string?> { [TraceSampling.RatioKey] = "0" });
        await nothing.StartAsync();
        nothing.Run(Requests);
        Assert.Empty(nothing.Exported);
    }

    [Fact]
    public async Task OpenTelemetrys_own_sampler_variable_wins_over_the_setting()
    {
        await using var service = new Service(Environments.Development, new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0",
            [TraceSampling.RatioKey] = "1",
        });
        await service.StartAsync();

        service.Run(Requests);

        Assert.Empty(service.Exported);
    }

    [Fact]
    public async Task A_share_outside_zero_to_one_stops_the_start_and_names_the_setting()
    {
        await using var service = new Service(Environments.Production, new Dictionary<string, string?> { [TraceSampling.RatioKey] = "10" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(service.StartAsync);

        Assert.Contains(TraceSampling.RatioKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_health_probe_leaves_no_span_on_either_side()
    {
        var spans = new List<Activity>();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "KakaoAspire.ServiceDefaults.Tests.Probes",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Client spans asked for, so the probing side is seen to leave none too.
        builder.Configuration[TelemetrySettings.HttpClientSpansKey] = "true";
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.AddHttpClient();
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/work", () => "done");
        await app.StartAsync();
        var http = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        var server = app.Urls.Single();

        (await http.GetAsync($"{server}{Extensions.AlivenessEndpointPath}")).EnsureSuccessStatusCode();
        (await http.GetAsync($"{server}{Extensions.HealthEndpointPath}")).EnsureSuccessStatusCode();
        Assert.Empty(spans);

        (await http.GetAsync($"{server}/work")).EnsureSuccessStatusCode();
        await app.StopAsync();
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server);
    }
}

/// <summary>HTTP spans come from process-wide instrumentation: tests that count them run one at a time.</summary>
[CollectionDefinition(Collection)]
public sealed class HttpSpans
{
    public const string Collection = "HTTP spans";
}
