using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace KakaoAspire.ServiceDefaults.Tests;

/// <summary>
/// What one request leaves in a trace by default: our spans and each service's server span, not a span per Redis
/// command or per outgoing call, unless a developer asks for them.
/// </summary>
[Collection(HttpSpans.Collection)]
public sealed class TraceShapeTests
{
    [Fact]
    public async Task A_call_to_another_service_continues_the_callers_span_without_a_client_span_of_its_own()
    {
        var spans = new List<Activity>();
        var name = "KakaoAspire.ServiceDefaults.Tests.Shape";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, ApplicationName = name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.ConfigureOpenTelemetry();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.AddHttpClient();
        await using var app = builder.Build();
        app.MapGet("/turns", () => "answered");
        await app.StartAsync();
        using var source = new ActivitySource(name);

        ActivityContext caller;
        using (var skillRequest = source.StartActivity("skill request"))
        {
            Assert.NotNull(skillRequest);
            caller = skillRequest.Context;
            (await app.Services.GetRequiredService<IHttpClientFactory>().CreateClient().GetAsync($"{app.Urls.Single()}/turns"))
                .EnsureSuccessStatusCode();
        }
        await app.StopAsync();

        Assert.DoesNotContain(spans, s => s.Kind == ActivityKind.Client);
        var callee = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(caller.TraceId, callee.TraceId);
        Assert.Equal(caller.SpanId, callee.ParentSpanId);
        Assert.True(callee.Recorded);
    }

    [Theory]
    [InlineData(null, null, "true")]
    [InlineData("false", null, "true")]
    [InlineData("true", null, "false")]
    [InlineData(null, "false", "false")] // Aspire's own switch, set, decides alone
    [InlineData("true", "true", "true")]
    public void Redis_commands_get_spans_only_when_asked_for(string? redisCommandSpans, string? aspireDisableTracing, string expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetrySettings.RedisCommandSpansKey] = redisCommandSpans,
            [TelemetrySettings.AspireRedisDisableTracingKey] = aspireDisableTracing,
        });

        builder.ConfigureOpenTelemetry();

        Assert.Equal(expected, builder.Configuration[TelemetrySettings.AspireRedisDisableTracingKey]);
    }

    [Theory]
    [InlineData(TelemetrySettings.RedisCommandSpansKey)]
    [InlineData(TelemetrySettings.HttpClientSpansKey)]
    public void A_switch_that_is_neither_true_nor_false_stops_the_start_and_names_itself(string key)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = "yes" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.ConfigureOpenTelemetry());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
