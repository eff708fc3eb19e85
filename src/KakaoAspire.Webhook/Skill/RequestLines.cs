using KakaoAspire.Webhook.Metrics;
using Microsoft.Extensions.Options;

namespace KakaoAspire.Webhook.Skill;

/// <summary>The limit of the webhook's per-request lines (<see cref="RequestLines"/>).</summary>
public sealed class RequestLineOptions
{
    public const string Section = "Telemetry";
    public const double DefaultPerSecond = 10;

    /// <summary><c>Telemetry:MaxRequestLinesPerSecond</c>: lines a second at most; 0 for a line for every request.</summary>
    public double MaxRequestLinesPerSecond { get; set; } = DefaultPerSecond;
}

/// <summary>
/// The webhook's one line per skill request, "Skill request for account X answered in N ms (reply)", at most
/// <c>Telemetry:MaxRequestLinesPerSecond</c> a second (a second's worth at once). Past that a request is counted
/// instead, and one line a second later says how many requests were answered without a line of their own, by kind of
/// reply, and how long the slowest took. At a person's pace every request has its line; under load the console and the
/// dashboard get a steady few: one line per request cost the development start about a quarter of its throughput, most of it
/// in the dashboard (docs/benchmarks.md, "Session 12"). Warnings and errors are never limited.
/// </summary>
public sealed partial class RequestLines : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly string[] Kinds = [SkillOutcome.Inline, SkillOutcome.Held, SkillOutcome.Callback, SkillOutcome.Denied];

    private readonly ILogger<RequestLines> _logger;
    private readonly TimeProvider _time;
    private readonly PerSecondLimit? _limit;
    private readonly double _perSecond;
    // Requests answered without a line since the last summary, by kind (the last slot for any other kind, counted with denied).
    private readonly long[] _unlogged = new long[Kinds.Length + 1];
    private long _slowestTicks;
    private long _since;
    // 1 while a summary is due: the first unlogged request arms the timer, which writes the summary a second later.
    private int _armed;
    private readonly ITimer _timer;

    public RequestLines(IOptions<RequestLineOptions> options, TimeProvider time, ILogger<RequestLines> logger)
    {
        _logger = logger;
        _time = time;
        _perSecond = options.Value.MaxRequestLinesPerSecond;
        _limit = _perSecond > 0 ? new PerSecondLimit(_perSecond, time) : null;
        // One timer for the service's life, disarmed until a request goes without its line.
        _timer = time.CreateTimer(_ => Summarize(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Answered(string accountId, TimeSpan elapsed, string outcome)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        if (_limit is null || _limit.TryTake())
        {
            LogAnswered(_logger, accountId, elapsed.TotalMilliseconds, outcome);
            return;
        }
        var kind = Array.IndexOf(Kinds, outcome);
        Interlocked.Increment(ref _unlogged[kind < 0 ? Kinds.Length : kind]);
        var slowest = Volatile.Read(ref _slowestTicks);
        while (elapsed.Ticks > slowest && Interlocked.CompareExchange(ref _slowestTicks, elapsed.Ticks, slowest) is var seen && seen != slowest)
        {
            slowest = seen;
        }
        if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            Volatile.Write(ref _since, _time.GetTimestamp());
            // False once disposed: the count waiting then was written by Dispose, and a later one has no service left.
            _timer.Change(Window, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Writes how many requests were answered without a line since the last summary; nothing when none were.</summary>
    private void Summarize()
    {
        // Disarmed first: a request counted from here on arms the next summary, so each count lands in exactly one.
        Volatile.Write(ref _armed, 0);
        var since = _time.GetElapsedTime(Volatile.Read(ref _since));
        var counts = new long[_unlogged.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Exchange(ref _unlogged[i], 0);
        }
        var slowest = TimeSpan.FromTicks(Interlocked.Exchange(ref _slowestTicks, 0));
        var total = counts.Sum();
        if (total > 0)
        {
            LogUnlogged(_logger, total, since.TotalSeconds, _perSecond, counts[0], counts[1], counts[2], counts[3] + counts[4], slowest.TotalMilliseconds);
        }
    }

    /// <summary>On shutdown the count that was waiting is written, so no request goes unaccounted for.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        Summarize();
    }

    [LoggerMessage(LogLevel.Information, "Skill request for account {AccountId} answered in {ElapsedMs:F0} ms ({Reply})")]
    private static partial void LogAnswered(ILogger logger, string accountId, double elapsedMs, string reply);

    [LoggerMessage(LogLevel.Information,
        "{Count} more skill requests answered in the last {Seconds:F1} s without a line each (at most {PerSecond} lines a second, " +
        "Telemetry:MaxRequestLinesPerSecond): {Inline} inline, {Held} held, {Callback} callback, {Denied} denied; the slowest in {SlowestMs:F0} ms")]
    private static partial void LogUnlogged(
        ILogger logger, long count, double seconds, double perSecond, long inline, long held, long callback, long denied, double slowestMs);
}
