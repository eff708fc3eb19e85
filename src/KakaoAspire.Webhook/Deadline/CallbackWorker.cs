using System.Collections.Concurrent;
using System.Diagnostics;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Answers;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Sends the one callback POST per acknowledged request: the answer when it is ready, or at about 50 s a "still thinking"
/// answer with "답변 확인" (the answer stays held for the user's next message). Never earlier than a second after the ack.
/// <para>
/// Jobs live in Redis under a lease (<see cref="CallbackStore"/>): this replica renews the leases of the jobs it works on,
/// and takes up jobs whose owner stopped renewing (it died or stopped). The held answer leaves the user's list only after
/// Kakao accepted the POST; a refused or failed POST leaves it for "답변 확인".
/// </para>
/// </summary>
public sealed class CallbackWorker(
    CallbackQueue queue, CallbackStore store, MoltbotConfig config, RunningTurns running, IServiceScopeFactory scopes,
    AnswerRenderer renderer, KakaoCallbackClient client, IOptions<CallbackOptions> options, TimeProvider time,
    ILogger<CallbackWorker> logger, Metrics.WebhookMetrics metrics) : BackgroundService
{
    // The jobs this replica works on, each with a token cancelled when its lease turns out to be lost.
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _working = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    private CallbackOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(
            Loop(ReadLocalAsync, stoppingToken),
            Loop(SweepAsync, stoppingToken),
            Loop(RenewAsync, stoppingToken));
        await Task.WhenAll(_inFlight.Keys);
    }

    private static async Task Loop(Func<CancellationToken, Task> body, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => body(stoppingToken), CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: jobs not yet posting are handed back (ProcessAsync), the rest run out their lease.
        }
    }

    private async Task ReadLocalAsync(CancellationToken stoppingToken)
    {
        await foreach (var local in queue.ReadAllAsync(stoppingToken))
        {
            Track(ProcessAsync(new ClaimedCallback(local.Job, null, null), local.Turn, stoppingToken));
        }
    }

    /// <summary>Takes up jobs whose owner's lease ran out: a replica that died (SIGKILL, a lost node) or stopped.</summary>
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Options.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var free = Math.Min(queue.Free, 20);
            if (free <= 0)
            {
                continue;
            }
            IReadOnlyList<ClaimedCallback> claimed;
            try
            {
                claimed = await store.ClaimExpiredAsync(free);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning("Could not look for orphaned callbacks ({ExceptionType}); trying again", ex.GetType().Name);
                continue;
            }
            foreach (var job in claimed)
            {
                if (_working.ContainsKey(job.Job.TurnId))
                {
                    continue; // our own job, whose lease this claim just renewed
                }
                if (!queue.TryReserve())
                {
                    break; // its lease runs out again and a replica with room takes it
                }
                logger.LogWarning("Took over the callback of turn {TurnId} from a replica whose lease ran out{Posting}",
                    job.Job.TurnId, job.PostingBody is null ? "" : " while it was posting");
                Track(ProcessAsync(job, running.Find(job.Job.TurnId), stoppingToken));
            }
        }
    }

    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        // A third of the lease leaves two chances to renew before it lapses.
        using var timer = new PeriodicTimer(Options.LeaseDuration / 3, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (turnId, lost) in _working)
            {
                try
                {
                    if (!await store.RenewAsync(turnId))
                    {
                        await lost.CancelAsync();
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    // Not fatal by itself: the lease has two more chances before it lapses.
                    logger.LogWarning("Could not renew the callback lease of turn {TurnId} ({ExceptionType})", turnId, ex.GetType().Name);
                }
            }
        }
    }

    private void Track(Task task)
    {
        _inFlight[task] = true;
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>One job, which holds one of the queue's places until it is done.</summary>
    private async Task ProcessAsync(ClaimedCallback claimed, Task<TurnResponse>? turn, CancellationToken stoppingToken)
    {
        var job = claimed.Job;
        using var lost = new CancellationTokenSource();
        _working[job.TurnId] = lost;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost.Token);
        using var activity = SkillApi.ActivitySource.StartActivity("kakao callback");
        activity?.SetTag("kakao.account_id", job.AccountId);
        var posting = false;
        try
        {
            if (claimed.PostingBody is { } body)
            {
                // The owner died between marking the POST and recording Kakao's reply: the same body goes again. Kakao's
                // token is single-use, so the user sees one bubble whichever POST landed.
                posting = true;
                await PostAsync(job, body, claimed.PostingMode == CallbackStore.AnswerMode, retaken: true);
                return;
            }
            if (time.GetUtcNow() >= job.ArrivedAt + Options.Lifetime)
            {
                logger.LogWarning("The callback of turn {TurnId} expired before a replica could post it; the answer stays held", job.TurnId);
                await store.FinishAsync(job, delivered: false);
                return;
            }

            var (response, isAnswer) = await PrepareAsync(job, turn, linked.Token);
            var json = SkillJson.Serialize(response);
            var permission = await store.BeginPostAsync(job, json, isAnswer);
            if (permission == PostPermission.AnswerGone)
            {
                // The user's next message already carried it; the callback still needs its one POST.
                (json, isAnswer) = (SkillJson.Serialize(SkillResponse.Text(SkillTexts.AlreadyDelivered)), false);
                permission = await store.BeginPostAsync(job, json, isAnswer);
            }
            if (permission == PostPermission.LeaseLost)
            {
                logger.LogWarning("Another replica took the callback of turn {TurnId}; leaving it to them", job.TurnId);
                return;
            }
            posting = true;

            var wait = job.AckedAt + Options.MinDelayAfterAck - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, CancellationToken.None);
            }
            await PostAsync(job, json, isAnswer, retaken: false);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            logger.LogWarning("Another replica took the callback of turn {TurnId} while it waited; leaving it to them", job.TurnId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (!posting)
            {
                await HandBackAsync(job.TurnId);
            }
        }
        catch (Exception ex)
        {
            // Redis failed mid-way: the lease runs out and a replica (this one too) takes the job up again within its lifetime.
            logger.LogError(ex, "The callback for turn {TurnId} failed before its POST; it is retried when its lease runs out", job.TurnId);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        }
        finally
        {
            _working.TryRemove(job.TurnId, out _);
            queue.Done();
        }
    }

    /// <summary>The answer when it is ready within the budget (about 50 s after arrival), else "still thinking".</summary>
    private async Task<(SkillResponse Response, bool IsAnswer)> PrepareAsync(CallbackJob job, Task<TurnResponse>? turn, CancellationToken cancellationToken)
    {
        var deadline = job.ArrivedAt + Options.StillThinkingAfter;
        TurnOutcome outcome;
        if (turn is not null)
        {
            var budget = deadline - time.GetUtcNow();
            if (!turn.IsCompleted && budget > TimeSpan.Zero)
            {
                await turn.WaitUpToAsync(budget, time, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            outcome = !turn.IsCompleted ? new(AnswerState.Running)
                : turn.IsCompletedSuccessfully ? new(AnswerState.Ready, turn.Result)
                : new(AnswerState.Ready, TurnAnswers.Failed(job.TurnId));
        }
        else
        {
            outcome = await PollAsync(job.TurnId, deadline, cancellationToken);
        }

        if (outcome.State == AnswerState.Running)
        {
            logger.LogInformation("Turn {TurnId} is still running near the callback's expiry; holding its answer", job.TurnId);
            return (SkillTexts.StillThinkingResponse(), false);
        }
        var account = config.Kakao.FindAccount(job.AccountId)
            ?? throw new InvalidOperationException($"Account {job.AccountId} is no longer in the config.");
        var answer = outcome.Answer ?? TurnAnswers.Failed(job.TurnId);
        return (await renderer.RenderAsync(account, job.UserId, [answer]), true);
    }

    /// <summary>A job taken over from another replica has no task here: its answer is in Redis or at the router.</summary>
    private async Task<TurnOutcome> PollAsync(string turnId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var answers = scope.ServiceProvider.GetRequiredService<TurnAnswers>();
        while (true)
        {
            var outcome = await answers.LookAsync(turnId, cancellationToken);
            if (outcome.State == AnswerState.Ready)
            {
                return outcome;
            }
            if (time.GetUtcNow() + Options.AnswerPollInterval >= deadline)
            {
                // A turn the router never heard of (or lost with a dead router) is answered as failed, as "답변 확인" would.
                return outcome.State == AnswerState.Unknown ? new(AnswerState.Ready) : outcome;
            }
            await Task.Delay(Options.AnswerPollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// The one POST, then the job is finished: when Kakao accepted an answer it leaves the held list; when Kakao refused
    /// or the POST failed, the answer stays held for "답변 확인" (never lost; a POST that landed but whose reply was lost
    /// can then show it twice, the lesser harm).
    /// </summary>
    private async Task PostAsync(CallbackJob job, string json, bool isAnswer, bool retaken)
    {
        CallbackResult? result = null;
        var failed = false;
        try
        {
            // Not cancelled on shutdown: a POST cut off half-way is the one case where nobody knows whether Kakao has it.
            result = await client.PostAsync(job.CallbackUrl, json, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogError("The callback POST for turn {TurnId} failed ({ExceptionType}); the answer stays held", job.TurnId, ex.GetType().Name);
            metrics.CallbackFailed(job.AccountId);
            failed = true;
        }
        var accepted = result?.IsSuccess == true;
        if (!failed)
        {
            // No result (a redirect, which is not followed) counts as refused: Kakao did not take the POST.
            metrics.CallbackPosted(job.AccountId, accepted);
        }
        if (!accepted && retaken)
        {
            logger.LogWarning("Kakao refused the repeated callback POST of turn {TurnId}: the first, from a replica that died, may have " +
                "landed; the answer stays held rather than risk losing it", job.TurnId);
        }
        try
        {
            await store.FinishAsync(job, delivered: accepted && isAnswer);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The job stays marked as posting: a replica re-posts the same body when the lease runs out (refused if this landed).
            logger.LogError("Could not record the callback result of turn {TurnId} ({ExceptionType})", job.TurnId, ex.GetType().Name);
            return;
        }
        if (accepted && isAnswer)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TurnAnswers>().Forget([job.TurnId]);
        }
    }

    private async Task HandBackAsync(string turnId)
    {
        try
        {
            await store.ReleaseAsync(turnId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Its lease runs out on its own.
        }
    }
}
