using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;
using KakaoAspire.Webhook.Answers;
using KakaoAspire.Webhook.Deadline;
using KakaoAspire.Webhook.Dedupe;
using KakaoAspire.Webhook.Limits;

namespace KakaoAspire.Webhook.Skill;

/// <summary>
/// Composes the reply to one allowed skill request. "더 보기" and "답변 확인" are served from what is stored, never by
/// the agent. Anything else is a turn, and the reply leaves within replyDeadlineMs of arrival whatever the agent does
/// (docs/contracts.md#the-webhook): a duplicate reads its first copy's answer; a new request starts a turn at the router and waits
/// for it until the deadline; then the answer goes inline, or the turn is held and the reply is the callback
/// acknowledgement (one POST follows from <see cref="CallbackWorker"/>) or a "still thinking" answer.
/// </summary>
public sealed partial class SkillReply(
    AgentRouterClient router, RunningTurns running, TurnAnswers answers, HeldAnswers held, DedupeStore dedupe,
    TurnStartStore starts, UserTurnLimiter limiter, AnswerRenderer renderer, MorePagesStore pages, CallbackQueue callbacks,
    IHostEnvironment environment, TimeProvider time, ILogger<SkillReply> logger)
{
    // Rendering, held answers and writing the body happen after the wait; Kakao counts the network too.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);
    // The router enforces timeoutSeconds; this only stops a call that never ends.
    private static readonly TimeSpan RouterSlack = TimeSpan.FromSeconds(15);

    /// <summary>Plain http callbacks to loopback are for the simulator and tests only.</summary>
    private bool AllowsLoopbackHttpCallbacks => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    /// <summary>Also counts the request in the account's inbound activity (with a turn, in its one round trip before it).</summary>
    public async Task<SkillResponse> ComposeAsync(
        KakaoAccountConfig account, KakaoUserIds user, SkillPayload payload, long arrival, InboundCount inbound, CancellationToken cancellationToken)
    {
        // Null for anything but "더 보기" and "답변 확인" (decided before any await), and for a typed one with nothing
        // to show, which then goes to the agent as a message (counted already).
        if (await StoredAsync(account, user, payload, inbound, cancellationToken) is { } response)
        {
            return response;
        }
        return await TurnAsync(account, user, payload, arrival, inbound, cancellationToken);
    }

    /// <summary>"더 보기" (the next page of a long answer) and "답변 확인" (held answers): never deduped away, never a turn.</summary>
    private async Task<SkillResponse?> StoredAsync(
        KakaoAccountConfig account, KakaoUserIds user, SkillPayload payload, InboundCount inbound, CancellationToken cancellationToken)
    {
        var more = SkillIntents.IsMore(payload, out var pagesId, out var pageIndex, out var moreTapped);
        var check = SkillIntents.IsCheck(payload, out var checkTapped);
        if (!more && !check)
        {
            return null;
        }
        await inbound.WriteAsync();
        if (more)
        {
            // A retry is the same request again: a tap names its page; a typed one is remembered by its dedupe hash.
            var (hash, window) = DedupeStore.KeyFor(account.Id, payload, account.DedupeWindowSeconds);
            var next = pagesId is not null && pageIndex is { } index
                ? await pages.PageAsync(pagesId, index)
                : await pages.NextAsync(account.Id, user.StableId, pagesId, hash, window);
            if (next is { } page)
            {
                return page;
            }
            if (moreTapped)
            {
                return SkillResponse.Text(SkillTexts.NoMorePages);
            }
        }
        if (check)
        {
            var collected = await held.CollectAsync(account, user.StableId, cancellationToken);
            if (collected.Ready.Count > 0)
            {
                return await DeliverAsync(account, user.StableId, collected.Ready);
            }
            if (collected.StillRunning)
            {
                return SkillTexts.StillThinkingResponse();
            }
            if (checkTapped)
            {
                return SkillResponse.Text(SkillTexts.NothingHeld);
            }
        }
        return null;
    }

    private async Task<SkillResponse> TurnAsync(
        KakaoAccountConfig account, KakaoUserIds user, SkillPayload payload, long arrival, InboundCount inbound, CancellationToken cancellationToken)
    {
        var budget = TimeSpan.FromMilliseconds(account.ReplyDeadlineMs) - Margin;
        var turnId = Guid.CreateVersion7().ToString("N");
        var (hash, window) = DedupeStore.KeyFor(account.Id, payload, account.DedupeWindowSeconds);
        // One round trip: counted, claimed, rate-limited (the first copy only) and whether anything is held.
        var start = await starts.StartAsync(account, user.StableId, hash, turnId, window, countInbound: !inbound.Written);
        inbound.WrittenWithTurnStart();
        if (start.Owner != turnId)
        {
            return await DuplicateAsync(account, user, payload, start.Owner, budget - time.GetElapsedTime(arrival), cancellationToken);
        }

        // Counted only for the first copy of a request: Kakao's retries were answered above and never count twice.
        if (start.Wait is { Ticks: > 0 } wait)
        {
            LogRateLimited(logger, account.Id, wait.TotalMilliseconds);
            var refused = new TurnResponse { TurnId = turnId, AgentId = "", SessionKey = "", Text = UserTurnLimiter.Reply(wait) };
            // Copies of this request arriving later read the same answer instead of waiting for a turn that never runs.
            await limiter.RememberRefusalAsync(refused, window);
            return await renderer.RenderAsync(account, user.StableId, [refused]);
        }

        using var slot = running.TryReserve();
        if (slot is null)
        {
            // Nothing started: the claim goes back, so the user's next try (or Kakao's retry) runs normally.
            await dedupe.ReleaseAsync(hash, turnId);
            LogBusy(logger, account.Id, running.Count);
            return SkillResponse.Text(SkillTexts.Busy);
        }

        var turn = new TurnRequest
        {
            TurnId = turnId,
            AccountId = account.Id,
            UserId = user.UserId,
            UserType = payload.UserRequest?.User?.Type,
            BotUserKey = user.BotUserKey,
            PlusfriendUserKey = user.PlusfriendUserKey,
            AppUserId = user.AppUserId,
            Text = payload.Utterance!,
        };
        var task = running.Start(slot, router, turn, TimeSpan.FromSeconds(account.TimeoutSeconds) + RouterSlack, window);
        var remaining = budget - time.GetElapsedTime(arrival);
        if (!task.IsCompleted && remaining > TimeSpan.Zero)
        {
            await task.WaitUpToAsync(remaining, time, cancellationToken);
        }

        if (task.IsCompleted)
        {
            var answer = task.IsCompletedSuccessfully ? task.Result : TurnAnswers.Failed(turnId);
            // Answers held from earlier messages go first, so the user reads everything in order. When nothing was held
            // before the turn, the list is not read again: an answer held since belongs to another message of this user
            // that missed its own deadline, and that reply already promised it (the callback, "답변 확인" or the next
            // message delivers it), so nothing is lost; it only does not ride along with this answer.
            if (start.Held == 0)
            {
                return await DeliverAsync(account, user.StableId, [answer]);
            }
            var earlier = await held.CollectAsync(account, user.StableId, cancellationToken);
            return await DeliverAsync(account, user.StableId, [.. earlier.Ready, answer]);
        }
        return await HandOffAsync(account, user, payload, turnId, task, arrival, cancellationToken);
    }

    /// <summary>Kakao's retry (or a double tap) of a request already answered or being answered: its first copy's answer.</summary>
    private async Task<SkillResponse> DuplicateAsync(
        KakaoAccountConfig account, KakaoUserIds user, SkillPayload payload, string owner, TimeSpan remaining, CancellationToken cancellationToken)
    {
        LogDuplicate(logger, account.Id, owner);
        var outcome = await WaitForAsync(owner, remaining, cancellationToken);
        if (outcome.State == AnswerState.Ready)
        {
            return await renderer.RenderAsync(account, user.StableId, [outcome.Answer ?? TurnAnswers.Failed(owner)]);
        }
        // The first copy owns the callback and the held answer.
        return payload.CallbackUrl is null ? SkillTexts.StillThinkingResponse() : SkillResponse.CallbackAck(SkillTexts.CallbackWaiting);
    }

    /// <summary>The deadline came first: the turn is held, and the callback (when Kakao gave one) or the user's next message delivers it.</summary>
    private async Task<SkillResponse> HandOffAsync(
        KakaoAccountConfig account, KakaoUserIds user, SkillPayload payload, string turnId, Task<TurnResponse> task, long arrival,
        CancellationToken cancellationToken)
    {
        // Past the deadline, Redis round trips are what the margin pays for: the held answer and the callback job are sent
        // together (one round trip, in this order on one connection, so the job never exists without its held answer).
        var holding = held.HoldAsync(account, user.StableId, turnId);
        if (payload.CallbackUrl is { } callbackUrl)
        {
            if (CallbackUrlPolicy.IsAllowed(callbackUrl, account.CallbackAllowedHosts, AllowsLoopbackHttpCallbacks, out var reason))
            {
                var now = time.GetUtcNow();
                var job = new CallbackJob(account.Id, user.StableId, turnId, callbackUrl, now - time.GetElapsedTime(arrival), now);
                var enqueuing = callbacks.TryEnqueueAsync(job, task);
                // Both awaited together, so a Redis failure of either is observed and answered, never left unobserved.
                await Task.WhenAll(holding, enqueuing);
                if (enqueuing.Result)
                {
                    return SkillResponse.CallbackAck(SkillTexts.CallbackWaiting);
                }
            }
            else
            {
                logger.LogWarning("Refused the callbackUrl of account {AccountId}: {Reason}; answering without callback", account.Id, reason);
            }
        }
        await holding;
        // Older answers that are ready now go out with the "still thinking" note; the new one waits behind them. It may
        // have finished since the deadline and be among them: then nothing is still coming, and the note would send the
        // user to "답변 확인" for an answer already in this reply.
        var ready = await held.CollectAsync(account, user.StableId, cancellationToken);
        if (ready.Ready.Count == 0)
        {
            return SkillTexts.StillThinkingResponse();
        }
        var stillComing = !ready.Ready.Any(answer => answer.TurnId == turnId);
        return await DeliverAsync(account, user.StableId, ready.Ready, stillComing ? SkillTexts.StillThinkingNote(turnId) : null);
    }

    /// <summary>
    /// Renders the delivered answers (and a trailing note, which is not an answer) into one reply, then has the router
    /// forget the delivered answers: the one way answers reach the user in a reply.
    /// </summary>
    private async Task<SkillResponse> DeliverAsync(
        KakaoAccountConfig account, string userId, IReadOnlyList<TurnResponse> delivered, TurnResponse? note = null)
    {
        var response = await renderer.RenderAsync(account, userId, note is null ? delivered : [.. delivered, note]);
        answers.Forget(delivered.Select(a => a.TurnId));
        return response;
    }

    private async Task<TurnOutcome> WaitForAsync(string turnId, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + remaining;
        if (running.Find(turnId) is { } task)
        {
            if (!task.IsCompleted && remaining > TimeSpan.Zero)
            {
                await task.WaitUpToAsync(remaining, time, cancellationToken);
            }
            return await answers.LookAsync(turnId, cancellationToken);
        }
        // A request refused by the rate limit never reached the router; its copies read the same refusal.
        if (await limiter.FindRefusalAsync(turnId) is { } refusal)
        {
            return new(AnswerState.Ready, refusal);
        }
        while (true)
        {
            var outcome = await answers.LookAsync(turnId, cancellationToken);
            if (outcome.State == AnswerState.Ready || time.GetUtcNow() + PollInterval >= until)
            {
                return outcome;
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Information, "Duplicate skill request for account {AccountId}: answering with turn {TurnId}")]
    private static partial void LogDuplicate(ILogger logger, string accountId, string turnId);

    [LoggerMessage(LogLevel.Warning, "Rate-limited a user of account {AccountId} for {WaitMs:F0} ms")]
    private static partial void LogRateLimited(ILogger logger, string accountId, double waitMs);

    [LoggerMessage(LogLevel.Warning, "Skill request for account {AccountId} answered busy: {Running} turns already running")]
    private static partial void LogBusy(ILogger logger, string accountId, int running);
}
