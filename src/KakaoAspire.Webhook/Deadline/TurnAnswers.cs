using System.Text.Json;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Deadline;

public enum AnswerState
{
    Ready,
    Running,
    Unknown,
}

public sealed record TurnOutcome(AnswerState State, TurnResponse? Answer = null);

/// <summary>
/// Where a turn's answer is: in this process (a task we started), in Redis (the router stores every finished answer
/// under <see cref="RedisKeys.TurnAnswer"/>), or at the router (<c>GET /internal/turns/{id}</c>). After a restart only the
/// last two are left, which is why held answers survive it.
/// </summary>
public sealed class TurnAnswers(RunningTurns running, IConnectionMultiplexer redis, AgentRouterClient router)
{
    public async Task<TurnOutcome> LookAsync(string turnId, CancellationToken cancellationToken)
    {
        if (running.Find(turnId) is { } task)
        {
            return !task.IsCompleted ? new(AnswerState.Running)
                : task.IsCompletedSuccessfully ? new(AnswerState.Ready, task.Result)
                : new(AnswerState.Ready, Failed(turnId));
        }
        var stored = await redis.GetDatabase().StringGetAsync(RedisKeys.TurnAnswer(turnId));
        if (!stored.IsNullOrEmpty)
        {
            return new(AnswerState.Ready, JsonSerializer.Deserialize<TurnResponse>(stored.ToString(), JsonSerializerOptions.Web));
        }
        try
        {
            return await router.GetTurnAsync(turnId, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The router is away for a moment; the answer is not lost, ask again later.
            return new(AnswerState.Running);
        }
    }

    /// <summary>An answer the webhook gave itself (no agent ran), kept for the copies of the request within its dedupe window.</summary>
    public Task StoreAsync(TurnResponse answer, TimeSpan window) =>
        window <= TimeSpan.Zero
            ? Task.CompletedTask
            : redis.GetDatabase().StringSetAsync(RedisKeys.TurnAnswer(answer.TurnId), JsonSerializer.Serialize(answer, JsonSerializerOptions.Web), window);

    /// <summary>Once delivered, the stored answer goes.</summary>
    public Task ForgetAsync(string turnId) => redis.GetDatabase().KeyDeleteAsync(RedisKeys.TurnAnswer(turnId));

    /// <summary>What the user reads for a turn whose agent call failed.</summary>
    public static TurnResponse Failed(string turnId) => new()
    {
        TurnId = turnId,
        AgentId = "",
        SessionKey = "",
        Text = SkillTexts.AgentFailed,
        Failure = "unreachable",
    };
}
