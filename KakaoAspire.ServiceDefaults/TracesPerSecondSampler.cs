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
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;
    // When the next trace is due at the steady rate (GCRA): a trace may be kept up to a second before that.
    private long _due;

    public TracesPerSecondSampler(Sampler inner, double perSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _inner = inner;
        _time = time ?? TimeProvider.System;
        _interval = Math.Max(1, (long)(_time.TimestampFrequency / perSecond));
        _tolerance = Math.Max(0, _time.TimestampFrequency - _interval);
        _due = _time.GetTimestamp();
        Description = $"{inner.Description}, at most {perSecond} a second";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var result = _inner.ShouldSample(samplingParameters);
        return result.Decision == SamplingDecision.Drop || TryTake() ? result : new SamplingResult(SamplingDecision.Drop);
    }

    private bool TryTake()
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            var due = Volatile.Read(ref _due);
            var start = Math.Max(due, now);
            if (start - now > _tolerance)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _due, start + _interval, due) == due)
            {
                return true;
            }
        }
    }
}
