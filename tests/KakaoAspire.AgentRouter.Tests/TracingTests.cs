using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>Asked for (Telemetry:RedisCommandSpans), the router's Redis commands appear in the caller's trace, as the dashboard shows them.</summary>
[Collection(RedisCollection.Name)]
public sealed class TracingTests(RedisFixture redis)
{
    private const string RedisSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    [Fact]
    public async Task RedisCommandSpansCarryTheIncomingTraceId()
    {
        var spans = new List<Activity>();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin(), services =>
        {
            services.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(spans));
        }, new Dictionary<string, string> { [Microsoft.Extensions.Hosting.TelemetrySettings.RedisCommandSpansKey] = "true" });
        var traceId = ActivityTraceId.CreateRandom();

        using var response = await router.PostTurnAsync(RouterFactory.Turn("TraceUser" + Guid.NewGuid().ToString("N")[..6], "추적"),
            request => request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The Redis instrumentation flushes its spans every 10 s (its options are internal), hence the wait.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Snapshot(spans).Any(s => s.Source.Name == RedisSource && s.TraceId == traceId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var inTrace = Snapshot(spans).Where(s => s.TraceId == traceId).ToList();
        Assert.Contains(inTrace, s => s.Source.Name == RedisSource);
        Assert.Contains(inTrace, s => s.OperationName == "agent turn" && (string?)s.GetTagItem("moltbot.matched_by") == "default");
    }

    // The exporter appends from other threads without a lock; retry a copy that raced with an append.
    private static List<Activity> Snapshot(List<Activity> spans)
    {
        while (true)
        {
            try
            {
                return [.. spans.ToArray()];
            }
            catch (ArgumentException)
            {
            }
        }
    }
}
