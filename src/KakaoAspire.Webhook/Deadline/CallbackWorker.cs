using System.Diagnostics;
using KakaoAspire.Kakao.Skill;
using Microsoft.Extensions.Options;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// Sends the one callback POST per acknowledged request: the answer when it is ready, or at about 50 s a "still thinking"
/// answer with "답변 확인" (the answer stays held for the user's next message). Never earlier than a second after the ack.
/// </summary>
public sealed class CallbackWorker(
    CallbackQueue queue, IServiceScopeFactory scopes, IOptions<CallbackOptions> options, TimeProvider time,
    ILogger<CallbackWorker> logger, Metrics.WebhookMetrics metrics) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new List<Task>();
        try
        {
            await foreach (var job in queue.ReadAllAsync(stoppingToken))
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(ProcessAsync(job, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; held answers are in Redis and reach the user on the next message.
        }
        await Task.WhenAll(inFlight);
    }

    private async Task ProcessAsync(CallbackJob job, CancellationToken stoppingToken)
    {
        using var activity = SkillApi.ActivitySource.StartActivity("kakao callback");
        activity?.SetTag("kakao.account_id", job.Account.Id);
        try
        {
            var budget = options.Value.StillThinkingAfter - time.GetElapsedTime(job.ArrivalTimestamp);
            if (budget > TimeSpan.Zero && !job.Turn.IsCompleted)
            {
                await Task.WhenAny(job.Turn, Task.Delay(budget, time, stoppingToken));
            }

            SkillResponse response;
            await using var scope = scopes.CreateAsyncScope();
            if (job.Turn.IsCompleted)
            {
                var answer = job.Turn.IsCompletedSuccessfully ? job.Turn.Result : TurnAnswers.Failed(job.TurnId);
                response = await RenderAnswerAsync(scope.ServiceProvider, job, answer);
            }
            else
            {
                logger.LogInformation("Turn {TurnId} is still running near the callback's expiry; holding its answer", job.TurnId);
                response = SkillTexts.StillThinkingResponse();
            }

            var wait = options.Value.MinDelayAfterAck - time.GetElapsedTime(job.AckTimestamp);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            var client = scope.ServiceProvider.GetRequiredService<KakaoCallbackClient>();
            metrics.CallbackPosted(job.Account.Id, (await client.PostAsync(job.CallbackUrl, response, stoppingToken))?.IsSuccess == true);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // One POST only: a failed POST is not retried (Kakao's token is single-use); the answer stays held.
            logger.LogError(ex, "The callback for turn {TurnId} failed", job.TurnId);
            metrics.CallbackFailed(job.Account.Id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
        }
    }

    private async Task<SkillResponse> RenderAnswerAsync(IServiceProvider services, CallbackJob job, TurnResponse answer)
    {
        try
        {
            var held = services.GetRequiredService<HeldAnswers>();
            if (!await held.ReleaseAsync(job.Account, job.User.StableId, job.TurnId))
            {
                // The user's next message already carried it; the callback still needs its one POST.
                return SkillResponse.Text(SkillTexts.AlreadyDelivered);
            }
            var response = await services.GetRequiredService<Answers.AnswerRenderer>().RenderAsync(job.Account, job.User.StableId, [answer]);
            await services.GetRequiredService<TurnAnswers>().ForgetAsync(job.TurnId);
            return response;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            logger.LogError(ex, "Redis failed while rendering turn {TurnId} for its callback", job.TurnId);
            return SkillResponse.Text(SkillTexts.AgentFailed);
        }
    }
}
