using System.Threading.Channels;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>Hands callback jobs from the request to <see cref="CallbackWorker"/>, which outlives the request.</summary>
public sealed class CallbackQueue
{
    private readonly Channel<CallbackJob> _jobs = Channel.CreateUnbounded<CallbackJob>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(CallbackJob job)
    {
        if (!_jobs.Writer.TryWrite(job))
        {
            throw new InvalidOperationException("The callback queue is closed.");
        }
    }

    public IAsyncEnumerable<CallbackJob> ReadAllAsync(CancellationToken cancellationToken) => _jobs.Reader.ReadAllAsync(cancellationToken);
}
