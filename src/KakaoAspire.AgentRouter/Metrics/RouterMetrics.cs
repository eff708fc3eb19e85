using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KakaoAspire.AgentRouter.Metrics;

/// <summary>How long each agent takes to answer a turn, and how the turn ended, for the dashboard.</summary>
public sealed class RouterMetrics
{
    public const string MeterName = "KakaoAspire.AgentRouter";

    public const string AgentTag = "moltbot.agent_id";
    public const string ProviderTag = "moltbot.agent.provider";
    public const string OutcomeTag = "moltbot.turn.outcome";

    // Kakao's inline reply leaves by 4 s; beyond that the answer goes by callback (up to a minute) or is held.
    private static readonly double[] TurnBucketsSeconds = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 10, 20, 30, 60, 120];

    private readonly Histogram<double> _turnDuration;

    public RouterMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _turnDuration = meter.CreateHistogram("moltbot.agent.turn.duration", "s",
            "Time an agent took for a turn, from taking the session to its answer; the outcome is answered or the failure (timeout, busy, …).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TurnBucketsSeconds });
    }

    public void TurnEnded(string agentId, string provider, string outcome, TimeSpan elapsed) =>
        _turnDuration.Record(elapsed.TotalSeconds,
            new TagList { { AgentTag, agentId }, { ProviderTag, provider }, { OutcomeTag, outcome } });
}
