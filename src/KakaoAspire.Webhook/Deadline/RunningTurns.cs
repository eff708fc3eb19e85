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
public sealed class RunningTurns(IHostApplicationLifetime lifetime, IOptions<RunningTurnsOptions> options, ILogger<RunningTurns> logger)
{
    // Past the request's dedupe window a copy of it is a new request, and everyone else (held answers, a callback taken
    // over from another replica) asks the router, which keeps the answer until it is delivered. Keeping each finished
    // task only that long is what bounds this process's memory under load: at 700 requests/s, two minutes held ~90,000.
    private static readonly TimeSpan KeepSlack = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Task<TurnResponse>> _turns = new();
    private int _running;

    /// <summary>Turns running now.</summary>
    public int Count => Volatile.Read(ref _running);

    /// <summary>A place for one more turn, or null when <see cref="RunningTurnsOptions.MaxRunning"/> already run. Dispose it unless a turn took it.</summary>
    public Slot? TryReserve()
    {
        if (Interlocked.Increment(ref _running) > options.Value.MaxRunning)
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
        var task = Task.Run(async () =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
                timeout.CancelAfter(budget);
                return await router.RunTurnAsync(turn, timeout.Token);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        });
        _turns[turn.TurnId] = task;
        _ = ForgetLaterAsync(turn.TurnId, task, keep + KeepSlack);
        return task;
    }

    public Task<TurnResponse>? Find(string turnId) => _turns.GetValueOrDefault(turnId);

    private async Task ForgetLaterAsync(string turnId, Task<TurnResponse> task, TimeSpan keep)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Turn {TurnId} failed in the agent-router call", turnId);
        }
        await Task.Delay(keep);
        _turns.TryRemove(turnId, out _);
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
