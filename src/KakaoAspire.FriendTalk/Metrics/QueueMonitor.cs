using KakaoAspire.FriendTalk.Queue;
using KakaoAspire.FriendTalk.Sending;
using Microsoft.Extensions.Options;

namespace KakaoAspire.FriendTalk.Metrics;

/// <summary>
/// Samples the queue every <see cref="SenderOptions.QueueSampleInterval"/> for the gauges: the dashboard asks for
/// metrics every second, and each observation must not cost Redis round trips.
/// </summary>
public sealed class QueueMonitor(
    QueueInspector inspector, FriendTalkMetrics metrics, TimeProvider time, IOptions<SenderOptions> options, ILogger<QueueMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.Observe(await inspector.ReadAsync(time.GetUtcNow()));
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
            {
                // The gauges keep the last sample; the sender logs Redis trouble loudly enough.
                logger.LogDebug(ex, "Could not sample the outbound queue");
            }
            try
            {
                await Task.Delay(options.Value.QueueSampleInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
