using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>A job this replica acknowledged, with the turn it started (awaited directly instead of polling Redis).</summary>
public sealed record LocalCallback(CallbackJob Job, Task<TurnResponse> Turn);

/// <summary>
/// Hands callback jobs from the request to <see cref="CallbackWorker"/>, which outlives the request. Every job is written
/// to Redis first (<see cref="CallbackStore"/>), so another replica posts it if this one dies; and at most
/// <see cref="CallbackOptions.MaxPending"/> are worked on here at once: over that the request gets no callback and its
/// answer stays held for the user's next message.
/// </summary>
public sealed class CallbackQueue(CallbackStore store, IOptions<CallbackOptions> options, ILogger<CallbackQueue> logger)
{
    private readonly Channel<LocalCallback> _jobs = Channel.CreateUnbounded<LocalCallback>(new UnboundedChannelOptions { SingleReader = true });
    private int _pending;

    /// <summary>Jobs this replica is working on (its own and those taken over).</summary>
    public int Pending => Volatile.Read(ref _pending);

    public int Free => options.Value.MaxPending - Pending;

    /// <summary>False when the callback cannot be promised (the bound is reached, or Redis refused); nothing is enqueued then.</summary>
    public async Task<bool> TryEnqueueAsync(CallbackJob job, Task<TurnResponse> turn)
    {
        if (!TryReserve())
        {
            logger.LogWarning("{Pending} callbacks are pending on this replica (the bound); turn {TurnId} answers without a callback", Pending, job.TurnId);
            return false;
        }
        try
        {
            await store.AddAsync(job);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Done();
            logger.LogWarning("Could not record the callback of turn {TurnId} in Redis ({ExceptionType}); it answers without a callback", job.TurnId, ex.GetType().Name);
            return false;
        }
        if (!_jobs.Writer.TryWrite(new LocalCallback(job, turn)))
        {
            Done();
            return false; // shutting down; the job is in Redis and another replica takes it when the lease runs out
        }
        return true;
    }

    /// <summary>Takes one of the <see cref="CallbackOptions.MaxPending"/> places; false when none is free.</summary>
    public bool TryReserve()
    {
        while (true)
        {
            var current = Volatile.Read(ref _pending);
            if (current >= options.Value.MaxPending)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _pending, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives a place back when a job is finished (or was never started).</summary>
    public void Done() => Interlocked.Decrement(ref _pending);

    public void Complete() => _jobs.Writer.TryComplete();

    public IAsyncEnumerable<LocalCallback> ReadAllAsync(CancellationToken cancellationToken) => _jobs.Reader.ReadAllAsync(cancellationToken);
}
