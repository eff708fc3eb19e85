using KakaoAspire.FriendTalk.Queue;
using Microsoft.Extensions.Options;

namespace KakaoAspire.FriendTalk.Sending;

/// <summary>
/// The sender loop: due delayed messages back to their ready lists, expired leases taken over, then one batch
/// per group with ready messages. Every replica runs one; the queue's atomic moves keep them apart.
/// Idle, it sleeps until this replica accepts a send (<see cref="OutboundSignals.Sender"/>), until the earliest
/// delayed message or lease is due, or until its fallback look (<see cref="SenderOptions.IdleDelay"/> growing to
/// <see cref="SenderOptions.IdleDelayMax"/>), whichever comes first: a send accepted by another replica waits at most that.
/// </summary>
public sealed class OutboundSender(
    OutboundQueue queue, BatchSender sender, OutboundSignals signals, TimeProvider time, IOptions<SenderOptions> options,
    ILogger<OutboundSender> logger)
    : BackgroundService
{
    private readonly SenderOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            logger.LogInformation("The outbound sender is disabled ({Section}:Enabled = false)", SenderOptions.Section);
            return;
        }
        var fallback = _options.IdleDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            var sleep = fallback;
            try
            {
                busy = await RunOnceAsync(stoppingToken);
                if (!busy && await queue.NextDueAsync() is { } due)
                {
                    sleep = Backoff.Clamp(due - time.GetUtcNow(), _options.IdleDelay, fallback);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The outbound sender loop failed; trying again");
            }
            if (busy)
            {
                fallback = _options.IdleDelay;
                continue;
            }
            try
            {
                var woken = await signals.Sender.WaitAsync(sleep, stoppingToken);
                // Quiet time grows the fallback look; a wake (new work here) starts it over.
                fallback = woken ? _options.IdleDelay : Backoff.Clamp(fallback * 2, _options.IdleDelay, _options.IdleDelayMax);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        var busy = await queue.PromoteDueAsync(now) > 0;
        foreach (var (batchId, holder) in await queue.ReclaimExpiredAsync(now, now + _options.LeaseDuration))
        {
            busy = true;
            await ProcessAsync(batchId, holder, stoppingToken);
        }
        foreach (var group in await queue.GroupsAsync())
        {
            var batchId = "b" + Guid.CreateVersion7().ToString("N");
            var holder = OutboundQueue.NewHolder();
            var ids = await queue.ClaimAsync(group, BatchGroups.MaxBatch(BatchGroups.ProviderOf(group), _options.MaxBatchRecipients), batchId, holder,
                time.GetUtcNow() + _options.LeaseDuration);
            if (ids.Count == 0)
            {
                continue;
            }
            busy = true;
            await ProcessAsync(batchId, holder, stoppingToken);
        }
        return busy;
    }

    private async Task ProcessAsync(string batchId, string holder, CancellationToken stoppingToken)
    {
        try
        {
            await sender.ProcessAsync(batchId, holder, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Counted: after a bounded number of throws the batch's messages are failed with the reason.
                await sender.FaultedAsync(batchId, holder, e);
            }
            catch (Exception again) when (again is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Redis away too: the lease stays; the batch is taken up again when it expires.
                logger.LogError(e, "Batch {BatchId} failed; it will be taken up again when its lease expires", batchId);
                logger.LogError(again, "Batch {BatchId}: its failure could not be recorded", batchId);
            }
        }
    }
}
