using System.Diagnostics;
using System.Diagnostics.Metrics;
using KakaoAspire.AgentRouter.Agents;
using KakaoAspire.AgentRouter.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>What the dashboard shows of agent turns and model calls.</summary>
[Collection(RedisCollection.Name)]
public sealed class TelemetryTests(RedisFixture redis) : IAsyncLifetime
{
    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task Each_turn_records_how_long_its_agent_took_and_how_it_ended()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin()).Started();
        using var turns = new MetricCollector<double>(router.Services.GetRequiredService<IMeterFactory>(), RouterMetrics.MeterName, "moltbot.agent.turn.duration");

        await router.TurnAsync(NewUser(), "/help");

        var turn = Assert.Single(turns.GetMeasurementSnapshot());
        Assert.Equal("main", turn.Tags[RouterMetrics.AgentTag]);
        Assert.Equal("builtin", turn.Tags[RouterMetrics.ProviderTag]);
        Assert.Equal("answered", turn.Tags[RouterMetrics.OutcomeTag]);
        Assert.InRange(turn.Value, 0, 30);
        Assert.Equal("s", turns.Instrument!.Unit);
    }

    [Fact]
    public async Task A_model_call_is_a_gen_ai_span_with_the_model_and_token_usage_but_without_the_users_text()
    {
        var spans = new List<Activity>();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint),
            services => services.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(spans)));
        _model.AnswerWith("비밀스러운 답");

        await router.TurnAsync(NewUser(), "아무도 몰라야 할 질문");

        var call = Assert.Single(Snapshot(spans), IsModelCall);
        Assert.Equal("fake-model", call.GetTagItem("gen_ai.request.model"));
        Assert.Equal(1, Convert.ToInt32(call.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, Convert.ToInt32(call.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        var everything = string.Join(" ", call.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        Assert.DoesNotContain("아무도 몰라야 할 질문", everything);
        Assert.DoesNotContain("비밀스러운 답", everything);
        Assert.DoesNotContain(Configs.ApiKey, everything);
    }

    [Fact]
    public async Task The_operator_can_turn_message_text_on_in_model_spans()
    {
        var spans = new List<Activity>();
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenAI(_model.Endpoint),
            services => services.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(spans)),
            new Dictionary<string, string> { [AgentClients.CaptureMessageContent] = "true" });
        _model.AnswerWith("보여도 되는 답");

        await router.TurnAsync(NewUser(), "보여도 되는 질문");

        var call = Assert.Single(Snapshot(spans), IsModelCall);
        var everything = string.Join(" ", call.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        Assert.Contains("보여도 되는 질문", everything);
        Assert.Contains("보여도 되는 답", everything);
    }

    // The function-invocation layer adds an "orchestrate_tools" span around the model calls on the same source.
    private static bool IsModelCall(Activity span) =>
        span.Source.Name == TelemetrySources.GenAI && (string?)span.GetTagItem("gen_ai.operation.name") == "chat";

    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

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
