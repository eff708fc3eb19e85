using System.Globalization;
using System.Text.Json;
using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.FriendTalk.Metrics;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Queue;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Options;

namespace KakaoAspire.FriendTalk.Sending;

/// <summary>
/// Takes one leased batch from wherever it stopped to its end. The request body and its idempotency key
/// (the batch id) are stored before the first call; a batch found after a crash is resent byte-identical
/// only inside NHN's key window, and otherwise reconciled through NHN's result query by grouping key.
/// </summary>
public sealed class BatchSender(
    OutboundQueue queue,
    IEnumerable<IOutboundProvider> providers,
    MoltbotConfig config,
    TimeProvider time,
    ISendFaultHook faults,
    IOptions<SenderOptions> options,
    ILogger<BatchSender> logger,
    FriendTalkMetrics metrics)
{
    private readonly SenderOptions _options = options.Value;

    private sealed record Loaded(OutboundMessage Message, int Rounds);

    /// <summary>Processes a batch this worker leased with <paramref name="holder"/>; every write stops if the lease was lost.</summary>
    public async Task ProcessAsync(string batchId, string holder, CancellationToken cancellationToken)
    {
        var stored = await queue.GetBatchAsync(batchId);
        if (stored is null)
        {
            await queue.ForgetLeaseAsync(batchId);
            return;
        }
        var batch = stored with { Holder = holder };

        var loaded = new List<Loaded>();
        // All reads go out together (StackExchange.Redis pipelines them): a 1000-message batch is one round trip.
        var records = await Task.WhenAll(batch.MessageIds.Select(queue.GetSendableAsync));
        foreach (var (payload, rounds) in records)
        {
            if (payload is not null)
            {
                loaded.Add(new Loaded(JsonSerializer.Deserialize(payload, OutboundJsonContext.Default.OutboundMessage)!, rounds));
            }
        }
        var messages = loaded.Select(l => l.Message).ToList();
        var provider = providers.Single(p => p.Kind == BatchGroups.ProviderOf(batch.Group));
        var account = messages.Count == 0 ? null : config.Kakao.FindAccount(messages[0].AccountId);
        var now = time.GetUtcNow();
        if (account is null)
        {
            await FailAllAsync(batch, messages, "config", "the account is no longer in the config", 0);
            return;
        }

        if (batch.State == BatchState.Claimed)
        {
            await faults.OnAsync(SendFaultPoint.AfterClaim, batchId, cancellationToken);
            // A batch is all ads or none (BatchGroups); only ads wait for the night window.
            if (provider.Kind.IsNhn() && messages.Any(m => m.IsAd) && Kst.NightWindowEnd(account.Outbound.NightWindow, now) is { } windowEnd)
            {
                await DeferAllAsync(batch, messages, windowEnd, "inside the night window (outbound.nightWindow, KST); sends when it ends");
                return;
            }
            var body = provider.BuildRequest(account, batchId, messages);
            if (!await queue.PersistAsync(batchId, holder, body, now))
            {
                LeaseLost(batchId);
                return;
            }
            await faults.OnAsync(SendFaultPoint.AfterPersist, batchId, cancellationToken);
            batch = batch with { State = BatchState.Persisted, Body = body, FirstSentAt = now };
        }

        var windowPassed = now - (batch.FirstSentAt ?? now) >= _options.IdempotencyWindow;
        if (batch.State == BatchState.Reconcile || (provider.HonoursIdempotencyKey && batch.State != BatchState.Persisted && windowPassed))
        {
            await ReconcileAsync(batch, loaded, account, provider, now, cancellationToken);
            return;
        }
        if (!provider.HonoursIdempotencyKey && batch.State == BatchState.Calling)
        {
            await FailAllAsync(batch, messages, "unknown",
                $"the sender stopped during the call to {provider.Kind.Name()}, which takes no idempotency key; not resent to avoid a duplicate", batch.Attempts);
            return;
        }

        await CallAsync(batch, loaded, account, provider, cancellationToken);
    }

    private async Task CallAsync(BatchRecord batch, List<Loaded> loaded, KakaoAccountConfig account, IOutboundProvider provider, CancellationToken cancellationToken)
    {
        var messages = loaded.Select(l => l.Message).ToList();
        var attempts = batch.Attempts + 1;
        // A fresh lease for the call: it outlasts HttpTimeout, so no other replica takes the batch while it is in flight.
        if (!await queue.MarkCallingAsync(batch.Id, batch.Holder, attempts, time.GetUtcNow() + _options.LeaseDuration))
        {
            // Another replica took the batch over; it makes the call, not this one.
            LeaseLost(batch.Id);
            return;
        }
        SendOutcome outcome;
        using (var span = ProviderTelemetry.Start("send", provider.Kind, account.Id, messages.Count, attempts))
        {
            outcome = await provider.SendAsync(account, batch.Body!, batch.Id, cancellationToken);
            ProviderTelemetry.Sent(span, outcome);
        }
        await faults.OnAsync(SendFaultPoint.AfterProviderCall, batch.Id, cancellationToken);
        var now = time.GetUtcNow();
        logger.LogInformation("Batch {BatchId} of {Count} to {Provider}: {Outcome} {Code} (attempt {Attempt})",
            batch.Id, messages.Count, provider.Kind.Name(), outcome.Kind, outcome.Code, attempts);

        switch (outcome.Kind)
        {
            case SendOutcomeKind.Accepted:
                await RecordAcceptedAsync(batch, messages, provider, outcome, attempts, now);
                break;
            case SendOutcomeKind.Duplicate:
                // -1005: our key was used, so NHN may hold this batch already; look it up, never resend blindly.
                await ReconcileAsync(batch with { State = BatchState.Reconcile, Attempts = attempts }, loaded, account, provider, now, cancellationToken);
                break;
            case SendOutcomeKind.Transient when attempts < _options.MaxAttempts:
                await Written(batch, queue.RetryAtAsync(batch.Id, batch.Holder, BatchState.Retry, attempts,
                    now + Backoff.For(attempts, _options.BackoffBase, _options.BackoffMax),
                    batch.MessageIds, $"{outcome.Reason} (attempt {attempts})", Kst.Iso(now)));
                break;
            case SendOutcomeKind.Transient when provider.HonoursIdempotencyKey:
                // Out of attempts: whether NHN took one of them is known only from its books, after the key window.
                await Written(batch, queue.RetryAtAsync(batch.Id, batch.Holder, BatchState.Reconcile, attempts, (batch.FirstSentAt ?? now) + _options.IdempotencyWindow,
                    batch.MessageIds, $"{outcome.Reason}; out of attempts, checking NHN's records when the key window ends", Kst.Iso(now)));
                break;
            case SendOutcomeKind.Transient:
                await FailAllAsync(batch, messages, outcome.Code, $"gave up after {attempts} attempts: {outcome.Reason}", attempts);
                break;
            case SendOutcomeKind.Quota:
                await DeferAllAsync(batch, messages, Kst.NextMidnight(now), $"{outcome.Reason}; retrying after midnight KST", outcome.Code);
                break;
            default:
                await FailAllAsync(batch, messages, outcome.Code, outcome.Reason, attempts);
                break;
        }
    }

    private async Task RecordAcceptedAsync(
        BatchRecord batch, List<OutboundMessage> messages, IOutboundProvider provider, SendOutcome outcome, int attempts, DateTimeOffset now)
    {
        var commit = new BatchCommit { AccountId = messages[0].AccountId };
        foreach (var message in messages)
        {
            var recipient = outcome.Recipients.GetValueOrDefault(message.Id) ?? new RecipientOutcome(true, null, outcome.Code ?? "0", outcome.Reason);
            if (recipient.Accepted)
            {
                Sent(commit, message, outcome.RequestId, recipient.RecipientSeq, recipient.Code, provider, attempts, now);
            }
            else
            {
                Failed(commit, message, recipient.Code, recipient.Reason, attempts, now);
            }
        }
        await CommitAsync(batch, commit);
    }

    private async Task ReconcileAsync(
        BatchRecord batch, List<Loaded> loaded, KakaoAccountConfig account, IOutboundProvider provider, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = loaded.Select(l => l.Message.Id).ToList();
        var since = batch.FirstSentAt ?? now;
        IReadOnlyList<FoundRecipient> found;
        using var span = ProviderTelemetry.Start("find", provider.Kind, account.Id, ids.Count);
        try
        {
            found = await provider.FindAsync(account, batch.Id, ids, since, now, cancellationToken);
            span?.SetTag("kakao.outbound.found", found.Count);
        }
        catch (HttpRequestException e)
        {
            ProviderTelemetry.Failed(span, e);
            logger.LogWarning("Reconciling batch {BatchId} failed ({Error}); trying again later", batch.Id, e.Message);
            await Written(batch, queue.RetryAtAsync(batch.Id, batch.Holder, BatchState.Reconcile, batch.Attempts, now + _options.ReconcileDelay));
            return;
        }
        var byId = found.ToDictionary(f => f.MessageId);
        var windowPassed = now - since >= _options.IdempotencyWindow;
        if (byId.Count < ids.Count && !windowPassed)
        {
            // NHN may still be writing its books, and our key still guards a resend: ask again later.
            await Written(batch, queue.RetryAtAsync(batch.Id, batch.Holder, BatchState.Reconcile, batch.Attempts, now + _options.ReconcileDelay));
            return;
        }

        var commit = new BatchCommit { AccountId = account.Id };
        foreach (var (message, rounds) in loaded)
        {
            if (byId.TryGetValue(message.Id, out var hit))
            {
                Sent(commit, message, hit.RequestId, hit.RecipientSeq, "0", provider, batch.Attempts, now);
            }
            else if (rounds + 1 >= _options.MaxRounds)
            {
                Failed(commit, message, "retries", $"{provider.Kind.Name()} did not accept it after {rounds + 1} rounds of retries", batch.Attempts, now);
            }
            else
            {
                // NHN's books say this batch never arrived, and the key window is over: a fresh batch is safe.
                commit.Updates.Add((message.Id, new Dictionary<string, string>
                {
                    ["rounds"] = (rounds + 1).ToString(CultureInfo.InvariantCulture),
                    ["updatedAt"] = Kst.Iso(now),
                    ["reason"] = "not accepted by the provider yet; sending again",
                }));
                commit.Requeues.Add((message.Id, batch.Group));
            }
        }
        logger.LogInformation("Reconciled batch {BatchId}: {Found} of {Count} found at the provider", batch.Id, byId.Count, ids.Count);
        await CommitAsync(batch, commit);
    }

    private Task FailAllAsync(BatchRecord batch, List<OutboundMessage> messages, string? code, string reason, int attempts)
    {
        var now = time.GetUtcNow();
        var commit = new BatchCommit { AccountId = messages.FirstOrDefault()?.AccountId, LastError = reason };
        foreach (var message in messages)
        {
            Failed(commit, message, code, reason, attempts, now);
        }
        logger.LogWarning("Batch {BatchId} failed: {Reason}", batch.Id, reason);
        return CommitAsync(batch, commit);
    }

    /// <summary>
    /// Writes the batch's outcome if this worker still holds its lease, and counts its sent and failed messages for
    /// the dashboard once they are written, not before.
    /// </summary>
    private async Task CommitAsync(BatchRecord batch, BatchCommit commit)
    {
        if (await queue.CommitAsync(batch.Id, batch.Holder, commit))
        {
            metrics.Committed(commit, BatchGroups.ProviderOf(batch.Group));
        }
        else
        {
            LeaseLost(batch.Id);
        }
    }

    private Task DeferAllAsync(BatchRecord batch, List<OutboundMessage> messages, DateTimeOffset until, string reason, string? code = null)
    {
        var commit = new BatchCommit();
        foreach (var message in messages)
        {
            var fields = new Dictionary<string, string>
            {
                ["status"] = MessageStatus.Scheduled,
                ["scheduledFor"] = Kst.Iso(until),
                ["reason"] = reason,
                ["updatedAt"] = Kst.Iso(time.GetUtcNow()),
            };
            if (code is not null)
            {
                fields["providerCode"] = code;
            }
            commit.Updates.Add((message.Id, fields));
            commit.Deferrals.Add((message.Id, until));
        }
        logger.LogInformation("Batch {BatchId} deferred until {Until}: {Reason}", batch.Id, until, reason);
        return CommitAsync(batch, commit);
    }

    /// <summary>
    /// After an exception while processing a batch: it is tried again after a backoff, and once it has thrown
    /// <see cref="SenderOptions.MaxAttempts"/> times its messages are failed with the reason instead of being taken up forever.
    /// </summary>
    public async Task FaultedAsync(string batchId, string holder, Exception error)
    {
        var now = time.GetUtcNow();
        var stored = await queue.GetBatchAsync(batchId);
        if (stored is null)
        {
            await queue.ForgetLeaseAsync(batchId);
            return;
        }
        var faults = stored.Faults + 1;
        if (faults < _options.MaxAttempts)
        {
            logger.LogError(error, "Batch {BatchId} failed ({Faults} of {MaxAttempts} times); trying again", batchId, faults, _options.MaxAttempts);
            if (!await queue.CountFaultAsync(batchId, holder, now + Backoff.For(faults, _options.BackoffBase, _options.BackoffMax)))
            {
                LeaseLost(batchId);
            }
            return;
        }

        var batch = stored with { Holder = holder };
        var records = await Task.WhenAll(batch.MessageIds.Select(queue.GetMessageFieldsAsync));
        // The exception's type only: its text could carry a provider URL with the appkey in it.
        var reason = $"the sender failed on this batch {faults} times ({error.GetType().Name}); not tried again";
        if (batch.State is BatchState.Calling or BatchState.Retry or BatchState.Reconcile)
        {
            reason += "; it may have reached the provider, so check before sending it again";
        }
        var commit = new BatchCommit { LastError = reason };
        foreach (var (id, fields) in batch.MessageIds.Zip(records))
        {
            var account = fields.GetValueOrDefault("accountId");
            commit.Updates.Add((id, new Dictionary<string, string>
            {
                ["status"] = MessageStatus.Failed,
                ["reason"] = reason,
                ["updatedAt"] = Kst.Iso(now),
                ["attempts"] = batch.Attempts.ToString(CultureInfo.InvariantCulture),
            }));
            if (account is not null)
            {
                commit.Stats.Add((account, "failed", "lastFailedAt", Kst.Iso(now)));
                commit.AccountId ??= account;
            }
        }
        logger.LogError(error, "Batch {BatchId} failed {Faults} times; its {Count} messages are marked failed", batchId, faults, batch.MessageIds.Count);
        await CommitAsync(batch, commit);
    }

    private async Task Written(BatchRecord batch, Task<bool> write)
    {
        if (!await write)
        {
            LeaseLost(batch.Id);
        }
    }

    private void LeaseLost(string batchId) =>
        logger.LogWarning("Batch {BatchId}: the lease ran out and another worker holds it now; this worker leaves it to them", batchId);

    private void Sent(BatchCommit commit, OutboundMessage message, string? requestId, int? recipientSeq, string code,
        IOutboundProvider provider, int attempts, DateTimeOffset now)
    {
        var fields = new Dictionary<string, string>
        {
            ["status"] = MessageStatus.Sent,
            ["sentAt"] = Kst.Iso(now),
            ["updatedAt"] = Kst.Iso(now),
            ["providerCode"] = code,
            ["attempts"] = attempts.ToString(CultureInfo.InvariantCulture),
            ["reason"] = provider.Kind.IsNhn() ? "accepted by NHN; waiting for KakaoTalk's delivery result" : "accepted by Kakao's Event API",
        };
        if (requestId is not null)
        {
            fields["providerRequestId"] = requestId;
        }
        if (recipientSeq is { } seq)
        {
            fields["recipientSeq"] = seq.ToString(CultureInfo.InvariantCulture);
            if (provider.Kind.IsNhn() && requestId is not null)
            {
                commit.Polls.Add((message.Id, now + _options.PollDelay));
            }
        }
        commit.Updates.Add((message.Id, fields));
        ReleaseNextPart(commit, message, now);
        commit.Stats.Add((message.AccountId, "sent", "lastSentAt", Kst.Iso(now)));
        commit.Sends.Add((message.AccountId, now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        logger.LogInformation("Sent {MessageId} to {Recipient} through {Provider}", message.Id, message.Recipient.Masked, provider.Kind.Name());
    }

    // The next part of a split message is queued when this one is done, sent or failed, in the same commit: the parts
    // go to the provider one after another, in order, and a failed part does not hold the rest back forever.
    private static void ReleaseNextPart(BatchCommit commit, OutboundMessage message, DateTimeOffset now)
    {
        if (message.NextPartId is { } next && message.NextPartGroup is { } group)
        {
            commit.Updates.Add((next, new Dictionary<string, string> { ["reason"] = "", ["updatedAt"] = Kst.Iso(now) }));
            commit.Requeues.Add((next, group));
        }
    }

    private void Failed(BatchCommit commit, OutboundMessage message, string? code, string reason, int attempts, DateTimeOffset now)
    {
        var fields = new Dictionary<string, string>
        {
            ["status"] = MessageStatus.Failed,
            ["reason"] = reason,
            ["updatedAt"] = Kst.Iso(now),
            ["attempts"] = attempts.ToString(CultureInfo.InvariantCulture),
        };
        if (code is not null)
        {
            fields["providerCode"] = code;
        }
        commit.Updates.Add((message.Id, fields));
        ReleaseNextPart(commit, message, now);
        commit.Stats.Add((message.AccountId, "failed", "lastFailedAt", Kst.Iso(now)));
        commit.LastError = reason;
        commit.AccountId ??= message.AccountId;
        logger.LogWarning("Failed {MessageId} to {Recipient}: {Reason}", message.Id, message.Recipient.Masked, reason);
    }
}
