using System.Threading.Channels;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Has the agent-router forget delivered answers, many per call (<c>POST /internal/turns/delivered</c>): ids wait in a
/// channel; the first one waits <see cref="Linger"/> for others, then up to <see cref="MaxBatch"/> go in one call, so
/// the router gets at most about ten calls a second whatever the request rate. Best effort, as forgetting always
/// was: an answer the router is not told about expires with its AnswerTtl, and the held list, not the stored answer,
/// decides what is delivered. On shutdown what is waiting still goes.
/// </summary>
public sealed partial class DeliveredTurnsSender(AgentRouterClient router, ILogger<DeliveredTurnsSender> logger) : BackgroundService
{
    public const int MaxBatch = 500;
    // Far above what drains in a second at any request rate; past it the router is away and answers expire by themselves.
    private const int MaxWaiting = 50_000;
    // Housekeeping: a router that does not answer at once must not hold the next batch back for long.
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(1);
    // Sending as soon as one id waited meant a call (and the router's Redis delete) per reply at any rate but the
    // highest: at 200 skill requests/s, 200 calls a second across three processes for what one call can carry.
    // An answer forgotten 100 ms later changes nothing a user sees.
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    private readonly Channel<string> _waiting = Channel.CreateBounded<string>(
        new BoundedChannelOptions(MaxWaiting) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>This turn's answer reached its user; the router is told soon, together with others.</summary>
    public void Add(string turnId)
    {
        if (!_waiting.Writer.TryWrite(turnId))
        {
            LogNotForgotten(logger, 1, "ChannelFull");
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // No more ids: the loop sends what is waiting, then ends.
        _waiting.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>(MaxBatch);
        // Not cancelled by stoppingToken: completing the channel ends the loop once it is empty (the flush).
        while (await _waiting.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (_waiting.Reader.Count < MaxBatch)
            {
                await Task.Delay(Linger, CancellationToken.None);
            }
            while (batch.Count < MaxBatch && _waiting.Reader.TryRead(out var turnId))
            {
                batch.Add(turnId);
            }
            await SendAsync(batch);
            batch.Clear();
        }
    }

    private async Task SendAsync(List<string> batch)
    {
        using var timeout = new CancellationTokenSource(SendTimeout);
        try
        {
            await router.ForgetTurnsAsync(batch, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogNotForgotten(logger, batch.Count, ex.GetType().Name);
        }
    }

    [LoggerMessage(LogLevel.Warning,
        "The agent-router did not forget the delivered answers of {Count} turns ({ExceptionType}); they expire by themselves")]
    private static partial void LogNotForgotten(ILogger logger, int count, string exceptionType);
}
