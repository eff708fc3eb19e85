using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>Bounds of the webhook's own work (configuration section <c>Turns</c>).</summary>
public sealed class RunningTurnsOptions
{
    public const string Section = "Turns";

    /// <summary>
    /// Agent turns this process runs at once (each holds a call to the agent-router until the agent answers). One more
    /// request is answered "busy" at once, so a flood of messages cannot pile up tasks and connections without end.
    /// </summary>
    public int MaxRunning { get; set; } = 500;
}

/// <summary>
/// The agent turns this process started. A turn runs in the background, not on the request, so the reply can leave at
/// the deadline while the router keeps working; the callback worker and duplicate requests wait on the same task.
/// At most <see cref="RunningTurnsOptions.MaxRunning"/> run at once: a request takes a <see cref="Slot"/> first.
/// </summary>
public sealed partial class RunningTurns : IDisposable
{
    // Past the request's dedupe window a copy of it is a new request, and everyone else (held answers, a callback taken
    // over from another replica) asks the router, which keeps the answer until it is delivered. Keeping each finished
    // task only that long is what bounds this process's memory under load: at 700 requests/s, two minutes held ~90,000.
    // The window counts from the claim, which precedes the turn's end, and a copy takes the task when it arrives: one
    // second more is margin enough (5 s kept ~4,500 more answers alive at 1,100 requests/s, all of them in gen 2).
    private static readonly TimeSpan KeepSlack = TimeSpan.FromSeconds(1);

    // Finished turns are forgotten by one sweep a second, armed only while turns are kept. A timer per turn held the
    // request's execution context (its Activity, logging scopes, tags) for the whole window: at 900 requests/s that was
    // 12,000 contexts, half of the webhook's live heap under load, all promoted to gen 2 before they died.
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Turn> _turns = new();
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IOptions<RunningTurnsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RunningTurns> _logger;
    private readonly FailedTurnStore _failed;
    private readonly ITimer _sweeper;
    private int _running;
    private int _sweepArmed;

    public RunningTurns(IHostApplicationLifetime lifetime, IOptions<RunningTurnsOptions> options, TimeProvider time, ILogger<RunningTurns> logger,
        FailedTurnStore failed)
    {
        _lifetime = lifetime;
        _options = options;
        _time = time;
        _logger = logger;
        _failed = failed;
        // Created by whichever request first needs this singleton: that request's context must not ride on the timer.
        var suppress = !ExecutionContext.IsFlowSuppressed();
        if (suppress)
        {
            ExecutionContext.SuppressFlow();
        }
        try
        {
            _sweeper = time.CreateTimer(_ => Sweep(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (suppress)
            {
                ExecutionContext.RestoreFlow();
            }
        }
    }

    /// <summary>Turns running now.</summary>
    public int Count => Volatile.Read(ref _running);

    /// <summary>A place for one more turn, or null when <see cref="RunningTurnsOptions.MaxRunning"/> already run. Dispose it unless a turn took it.</summary>
    public Slot? TryReserve()
    {
        if (Interlocked.Increment(ref _running) > _options.Value.MaxRunning)
        {
            Interlocked.Decrement(ref _running);
            return null;
        }
        return new Slot(this);
    }

    /// <param name="keep">How long the finished task stays findable: the request's dedupe window (plus a little).</param>
    public Task<TurnResponse> Start(Slot slot, AgentRouterClient router, TurnRequest turn, TimeSpan budget, TimeSpan keep)
    {
        slot.Take();
        var kept = new Turn();
        var keepTicks = (long)((keep + KeepSlack).TotalSeconds * _time.TimestampFrequency);
        async Task<TurnResponse> RunAsync()
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.ApplicationStopping);
                timeout.CancelAfter(budget);
                return await router.RunTurnAsync(turn, timeout.Token);
            }
            catch (Exception ex)
            {
                LogTurnFailed(_logger, ex, turn.TurnId);
                // Written before the task ends, so whoever finds the task forgotten finds this. Not when this process
                // stops: the router still runs the turn and keeps its answer for the next webhook.
                if (!_lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    await RecordFailureAsync(turn.TurnId);
                }
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                Volatile.Write(ref kept.ForgetAt, _time.GetTimestamp() + keepTicks);
            }
        }
        kept.Task = Task.Run(RunAsync);
        _turns[turn.TurnId] = kept;
        ArmSweep();
        return kept.Task;
    }

    private async Task RecordFailureAsync(string turnId)
    {
        try
        {
            await _failed.RecordAsync(turnId);
        }
        catch (Exception ex)
        {
            // Redis is away too: the task itself still says "failed" for the dedupe window.
            LogFailureNotRecorded(_logger, ex, turnId);
        }
    }

    public Task<TurnResponse>? Find(string turnId) => _turns.TryGetValue(turnId, out var kept) ? kept.Task : null;

    public void Dispose() => _sweeper.Dispose();

    private void ArmSweep()
    {
        if (Interlocked.Exchange(ref _sweepArmed, 1) == 0)
        {
            _sweeper.Change(SweepEvery, Timeout.InfiniteTimeSpan);
        }
    }

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (turnId, kept) in _turns)
        {
            if (Volatile.Read(ref kept.ForgetAt) <= now)
            {
                _turns.TryRemove(KeyValuePair.Create(turnId, kept));
            }
        }
        // Disarmed before looking: a turn started meanwhile either sees the sweep disarmed and arms it, or is seen here.
        Volatile.Write(ref _sweepArmed, 0);
        Interlocked.MemoryBarrier();
        if (!_turns.IsEmpty)
        {
            ArmSweep();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Turn {TurnId} failed in the agent-router call")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string turnId);

    [LoggerMessage(LogLevel.Warning, "Turn {TurnId} failed and the failure could not be written to Redis")]
    private static partial void LogFailureNotRecorded(ILogger logger, Exception exception, string turnId);

    /// <summary>A started turn; <see cref="ForgetAt"/> (a timestamp) is set when it ends.</summary>
    private sealed class Turn
    {
        public Task<TurnResponse> Task = null!;
        public long ForgetAt = long.MaxValue;
    }

    /// <summary>One reserved place; given back on dispose unless a started turn took it over.</summary>
    public sealed class Slot(RunningTurns owner) : IDisposable
    {
        private bool _taken;
        private bool _disposed;

        internal void Take() => _taken = true;

        public void Dispose()
        {
            if (!_taken && !_disposed)
            {
                _disposed = true;
                Interlocked.Decrement(ref owner._running);
            }
        }
    }
}
