using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps what <c>inner</c> keeps, up to a number of new traces a second (a second's worth at once, then the steady rate).
/// At a developer's pace every trace is kept; under a load test the dashboard receives a steady sample instead of
/// every request, which cost it more CPU than the services spent answering (docs/benchmarks.md, "Session 8").
/// </summary>
public sealed class TracesPerSecondSampler : Sampler
{
    private readonly Sampler _inner;
    private readonly PerSecondLimit _limit;

    public TracesPerSecondSampler(Sampler inner, double perSecond, TimeProvider? time = null)
    {
        _inner = inner;
        _limit = new PerSecondLimit(perSecond, time);
        Description = $"{inner.Description}, at most {perSecond} a second";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var result = _inner.ShouldSample(samplingParameters);
        return result.Decision == SamplingDecision.Drop || _limit.TryTake() ? result : new SamplingResult(SamplingDecision.Drop);
    }
}
