using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;
using KakaoAspire.Webhook.Dedupe;
using KakaoAspire.Webhook.Limits;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// The reply leaves within replyDeadlineMs of arrival, whatever the agent does (docs/contracts.md#the-webhook): the answer inline
/// when it is ready in time; otherwise the callback acknowledgement (one POST follows from <see cref="CallbackWorker"/>)
/// or a "still thinking" answer, with the turn held for the user's next message.
/// </summary>
public static class DeadlineReply
{
    // Rendering, held answers and writing the body happen after the wait; Kakao counts the network too.
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);
    // The router enforces timeoutSeconds; this only stops a call that never ends.
    private static readonly TimeSpan RouterSlack = TimeSpan.FromSeconds(15);

    public static async Task<SkillResponse> AnswerAsync(
        KakaoAccountConfig account, KakaoUserIds user, SkillPayload payload, SkillServices services, long arrival, CancellationToken cancellationToken)
    {
        var budget = TimeSpan.FromMilliseconds(account.ReplyDeadlineMs) - Margin;
        var turnId = Guid.CreateVersion7().ToString("N");
        var (hash, window) = DedupeStore.KeyFor(account.Id, payload, account.DedupeWindowSeconds);
        var owner = await services.Dedupe.ClaimAsync(hash, turnId, window);
        if (owner != turnId)
        {
            services.Logger.LogInformation("Duplicate skill request for account {AccountId}: answering with turn {TurnId}", account.Id, owner);
            var outcome = await WaitForAsync(owner, services, budget - services.Time.GetElapsedTime(arrival), cancellationToken);
            if (outcome.State == AnswerState.Ready)
            {
                return await services.Renderer.RenderAsync(account, user.StableId, [outcome.Answer ?? TurnAnswers.Failed(owner)]);
            }
            // The first copy owns the callback and the held answer.
            return payload.CallbackUrl is null ? SkillTexts.StillThinkingResponse() : SkillResponse.CallbackAck(SkillTexts.CallbackWaiting);
        }

        // Counted only for the first copy of a request: Kakao's retries were answered above and never count twice.
        if (await services.Limiter.TryStartAsync(account, user.StableId) is { Ticks: > 0 } wait)
        {
            services.Logger.LogWarning("Rate-limited a user of account {AccountId} for {WaitMs:F0} ms", account.Id, wait.TotalMilliseconds);
            var refused = new TurnResponse { TurnId = turnId, AgentId = "", SessionKey = "", Text = UserTurnLimiter.Reply(wait) };
            // Copies of this request arriving later read the same answer instead of waiting for a turn that never runs.
            await services.Answers.StoreAsync(refused, window);
            return await services.Renderer.RenderAsync(account, user.StableId, [refused]);
        }

        using var slot = services.Running.TryReserve();
        if (slot is null)
        {
            // Nothing started: the claim goes back, so the user's next try (or Kakao's retry) runs normally.
            await services.Dedupe.ReleaseAsync(hash, turnId);
            services.Logger.LogWarning("Skill request for account {AccountId} answered busy: {Running} turns already running", account.Id, services.Running.Count);
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
        var task = services.Running.Start(slot, services.Router, turn, TimeSpan.FromSeconds(account.TimeoutSeconds) + RouterSlack);
        var remaining = budget - services.Time.GetElapsedTime(arrival);
        if (!task.IsCompleted && remaining > TimeSpan.Zero)
        {
            await Task.WhenAny(task, Task.Delay(remaining, services.Time, cancellationToken));
        }

        if (task.IsCompleted)
        {
            var answer = task.IsCompletedSuccessfully ? task.Result : TurnAnswers.Failed(turnId);
            // Answers held from earlier messages go first, so the user reads everything in order.
            var held = await services.Held.CollectAsync(account, user.StableId, cancellationToken);
            var response = await services.Renderer.RenderAsync(account, user.StableId, [.. held.Ready, answer]);
            foreach (var delivered in held.Ready.Select(a => a.TurnId).Append(turnId))
            {
                await services.Answers.ForgetAsync(delivered);
            }
            return response;
        }

        await services.Held.HoldAsync(account, user.StableId, turnId);
        if (payload.CallbackUrl is { } callbackUrl)
        {
            if (CallbackUrlPolicy.IsAllowed(callbackUrl, account.CallbackAllowedHosts, services.AllowsLoopbackHttpCallbacks, out var reason))
            {
                var now = services.Time.GetUtcNow();
                var job = new CallbackJob(account.Id, user.StableId, turnId, callbackUrl, now - services.Time.GetElapsedTime(arrival), now);
                if (await services.Callbacks.TryEnqueueAsync(job, task))
                {
                    return SkillResponse.CallbackAck(SkillTexts.CallbackWaiting);
                }
            }
            else
            {
                services.Logger.LogWarning("Refused the callbackUrl of account {AccountId}: {Reason}; answering without callback", account.Id, reason);
            }
        }
        // Older answers that are ready now go out with the "still thinking" note; the new one waits behind them.
        var ready = await services.Held.CollectAsync(account, user.StableId, cancellationToken);
        if (ready.Ready.Count == 0)
        {
            return SkillTexts.StillThinkingResponse();
        }
        var withNote = await services.Renderer.RenderAsync(account, user.StableId, [.. ready.Ready, SkillTexts.StillThinkingNote(turnId)]);
        foreach (var delivered in ready.Ready)
        {
            await services.Answers.ForgetAsync(delivered.TurnId);
        }
        return withNote;
    }

    private static async Task<TurnOutcome> WaitForAsync(string turnId, SkillServices services, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var until = services.Time.GetUtcNow() + remaining;
        if (services.Running.Find(turnId) is { } task)
        {
            if (!task.IsCompleted && remaining > TimeSpan.Zero)
            {
                await Task.WhenAny(task, Task.Delay(remaining, services.Time, cancellationToken));
            }
            return await services.Answers.LookAsync(turnId, cancellationToken);
        }
        while (true)
        {
            var outcome = await services.Answers.LookAsync(turnId, cancellationToken);
            if (outcome.State == AnswerState.Ready || services.Time.GetUtcNow() + PollInterval >= until)
            {
                return outcome;
            }
            await Task.Delay(PollInterval, services.Time, cancellationToken);
        }
    }
}
