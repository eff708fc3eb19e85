using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Options;

namespace KakaoAspire.FriendTalk.Sending;

/// <summary>
/// Asks NHN for the delivery result of sent messages until KakaoTalk reports one (or 3 days pass). Idle, it sleeps
/// until the earliest poll is due (at most <see cref="SenderOptions.PollIdleDelayMax"/>), woken sooner when this
/// replica sends messages (<see cref="OutboundSignals.Poller"/>).
/// </summary>
public sealed class DeliveryPoller(
    Queue.OutboundQueue queue,
    IEnumerable<IOutboundProvider> providers,
    MoltbotConfig config,
    TimeProvider time,
    IOptions<SenderOptions> options,
    OutboundSignals signals,
    ILogger<DeliveryPoller> logger,
    Metrics.FriendTalkMetrics metrics) : BackgroundService
{
    private readonly SenderOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            // Whatever happens below, the loop waits PollIdleDelay before it looks again, unless this replica wrote new polls
            // meanwhile (one wake per pass at most): no error can make it spin.
            var sleep = _options.PollIdleDelay;
            try
            {
                var due = await queue.DuePollsAsync(time.GetUtcNow(), 100);
                foreach (var id in due)
                {
                    await PollOrBackOffAsync(id, stoppingToken);
                }
                if (due.Count == 0)
                {
                    // Nothing due: sleep until the earliest poll (polls written here wake it sooner, see OutboundSignals).
                    var next = await queue.NextPollDueAsync();
                    sleep = next is { } at ? Backoff.Clamp(at - time.GetUtcNow(), _options.PollIdleDelay, _options.PollIdleDelayMax) : _options.PollIdleDelayMax;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The delivery poller failed; trying again");
            }
            try
            {
                await signals.Poller.WaitAsync(sleep, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One message's poll; when it throws (a timeout, a 200 that is not JSON, a field of the wrong type), only that
    /// message waits, longer each time, and the others are polled as usual.
    /// </summary>
    private async Task PollOrBackOffAsync(string messageId, CancellationToken stoppingToken)
    {
        try
        {
            await PollAsync(messageId, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var failures = await queue.CountPollFailureAsync(messageId);
            var sentAt = DateTimeOffset.TryParse((await queue.GetMessageFieldsAsync(messageId)).GetValueOrDefault("sentAt"), out var s) ? s : now;
            if (now - sentAt > _options.PollGiveUpAfter)
            {
                var at = Kst.Iso(now);
                await queue.FinishPollAsync(messageId, new()
                {
                    ["reason"] = $"no readable delivery result from NHN within 3 days (last: {e.GetType().Name})",
                    ["updatedAt"] = at,
                }, null, null, null, at);
                return;
            }
            var delay = Backoff.For((int)Math.Min(failures, 30), _options.PollDelay, _options.PollBackoffMax);
            logger.LogWarning("Polling {MessageId} failed ({ErrorType}: {Error}), failure {Failures}; asking again in {Delay}",
                messageId, e.GetType().Name, e.Message, failures, delay);
            await queue.PollAgainAtAsync(messageId, now + delay);
        }
    }

    public async Task PollAsync(string messageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fields = await queue.GetMessageFieldsAsync(messageId);
        var account = config.Kakao.FindAccount(fields.GetValueOrDefault("accountId", ""));
        var provider = providers.FirstOrDefault(p => p.Kind.Name() == fields.GetValueOrDefault("provider"));
        if (account is null || provider is null || !fields.TryGetValue("providerRequestId", out var requestId)
            || !int.TryParse(fields.GetValueOrDefault("recipientSeq"), out var seq))
        {
            await queue.FinishPollAsync(messageId, [], null, null, null, Kst.Iso(now));
            return;
        }

        // A failure here (network, timeout, an answer we cannot read) backs this message off in PollOrBackOffAsync.
        DeliveryResult result;
        using (var span = ProviderTelemetry.Start("delivery", provider.Kind, account.Id, 1))
        {
            try
            {
                result = await provider.GetDeliveryAsync(account, requestId, seq, cancellationToken);
                ProviderTelemetry.Delivery(span, result);
            }
            catch (Exception e)
            {
                ProviderTelemetry.Failed(span, e);
                throw;
            }
        }

        var at = Kst.Iso(now);
        switch (result.State)
        {
            case DeliveryState.Pending:
                var sentAt = DateTimeOffset.TryParse(fields.GetValueOrDefault("sentAt"), out var s) ? s : now;
                if (now - sentAt > _options.PollGiveUpAfter)
                {
                    await queue.FinishPollAsync(messageId, new() { ["reason"] = "no delivery result from KakaoTalk within 3 days", ["updatedAt"] = at }, null, null, null, at);
                }
                else
                {
                    await queue.PollAgainAtAsync(messageId, now + _options.PollDelay);
                }
                break;
            case DeliveryState.Delivered:
                await queue.FinishPollAsync(messageId, Fields(MessageStatus.Delivered, result, at, deliveredAt: true), account.Id, "delivered", "lastDeliveredAt", at);
                metrics.Delivered(account.Id, provider.Kind);
                logger.LogInformation("Delivered {MessageId}", messageId);
                break;
            case DeliveryState.Failed:
                await queue.FinishPollAsync(messageId, Fields(MessageStatus.Failed, result, at, deliveredAt: false), account.Id, "failed", "lastFailedAt", at);
                metrics.Failed(account.Id, provider.Kind);
                logger.LogWarning("Delivery of {MessageId} failed: {Reason}", messageId, result.Reason);
                break;
            case DeliveryState.RetryableFailure or DeliveryState.NightBlocked:
                var rounds = (int.TryParse(fields.GetValueOrDefault("rounds"), out var done) ? done : 0) + 1;
                if (rounds >= _options.MaxRounds)
                {
                    await queue.FinishPollAsync(messageId, Fields(MessageStatus.Failed, result, at, deliveredAt: false), account.Id, "failed", "lastFailedAt", at);
                    metrics.Failed(account.Id, provider.Kind);
                    break;
                }
                await ResendAsync(messageId, fields, account, result, rounds, now);
                break;
            default:
                // 3005/3060: sent, receipt unconfirmed. Never resent; it stays "sent" with the reason.
                await queue.FinishPollAsync(messageId, Fields(MessageStatus.Sent, result, at, deliveredAt: false), null, null, null, at);
                break;
        }
    }

    // Kakao reported a passing failure (or its night block): nothing was delivered, so a new request is no duplicate.
    private async Task ResendAsync(string messageId, Dictionary<string, string> fields, KakaoAccountConfig account, DeliveryResult result, int rounds, DateTimeOffset now)
    {
        DateTimeOffset? due = null;
        if (result.State == DeliveryState.NightBlocked)
        {
            // NHN's own block is 20:50-08:00 KST even when outbound.nightWindow is null.
            due = Kst.NightWindowEnd(account.Outbound.NightWindow, now) ?? Kst.NightWindowEnd(NhnNightBlock, now) ?? now;
        }
        var resend = new Dictionary<string, string>
        {
            ["status"] = due is null ? MessageStatus.Accepted : MessageStatus.Scheduled,
            ["reason"] = $"KakaoTalk did not deliver it: {result.Reason}; sending again as a new request",
            ["providerCode"] = result.Code ?? "",
            ["rounds"] = rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["updatedAt"] = Kst.Iso(now),
        };
        if (due is { } d)
        {
            resend["scheduledFor"] = Kst.Iso(d);
        }
        await queue.ResendFromPollAsync(messageId, fields.GetValueOrDefault("group", ""), resend, due);
        logger.LogInformation("Resending {MessageId} after delivery result {Code}", messageId, result.Code);
    }

    private static readonly NightWindow NhnNightBlock = new(new TimeOnly(20, 50), new TimeOnly(8, 0), NightWindow.Default);

    private static Dictionary<string, string> Fields(string status, DeliveryResult result, string at, bool deliveredAt)
    {
        var fields = new Dictionary<string, string> { ["status"] = status, ["reason"] = result.Reason, ["updatedAt"] = at };
        if (result.Code is not null)
        {
            fields["providerCode"] = result.Code;
        }
        if (deliveredAt)
        {
            fields["deliveredAt"] = at;
        }
        return fields;
    }
}
