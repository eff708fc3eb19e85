namespace Microsoft.Extensions.Hosting;

/// <summary>
/// At most a number of events a second: a second's worth at once, then the steady rate (GCRA, lock-free). What the trace
/// sampler and the webhook's per-request line use to stay cheap under load while keeping everything at a person's pace.
/// </summary>
public sealed class PerSecondLimit
{
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;
    // When the next event is due at the steady rate: an event may be taken up to a second before that.
    private long _due;

    public PerSecondLimit(double perSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _time = time ?? TimeProvider.System;
        _interval = Math.Max(1, (long)(_time.TimestampFrequency / perSecond));
        _tolerance = Math.Max(0, _time.TimestampFrequency - _interval);
        _due = _time.GetTimestamp();
    }

    /// <summary>True when one more event fits in the limit now (and counts it).</summary>
    public bool TryTake()
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
