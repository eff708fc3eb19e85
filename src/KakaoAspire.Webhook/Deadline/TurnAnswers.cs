namespace KakaoAspire.Webhook.Deadline;

public enum AnswerState
{
    Ready,
    Running,
    Unknown,
}

public sealed record TurnOutcome(AnswerState State, TurnResponse? Answer = null);

/// <summary>
/// Where a turn's answer is: in this process (a task we started) or at the router (<c>GET /internal/turns/{id}</c>,
/// which keeps every finished answer until the webhook says it was delivered). After a restart only the router is
/// left, which is why held answers survive it. The router's Redis keys are its own: this class never reads them.
/// </summary>
public sealed class TurnAnswers(RunningTurns running, AgentRouterClient router, ILogger<TurnAnswers> logger)
{
    // Forgetting is housekeeping after the reply is composed; a router that does not answer at once must not hold the reply.
    private static readonly TimeSpan ForgetTimeout = TimeSpan.FromSeconds(1);

    public async Task<TurnOutcome> LookAsync(string turnId, CancellationToken cancellationToken)
    {
        if (running.Find(turnId) is { } task)
        {
            return !task.IsCompleted ? new(AnswerState.Running)
                : task.IsCompletedSuccessfully ? new(AnswerState.Ready, task.Result)
                : new(AnswerState.Ready, Failed(turnId));
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

    /// <summary>
    /// Once delivered, the router forgets the answers (one call per turn, together). Best effort: an answer the router
    /// could not forget expires with its AnswerTtl, and the held list, not the stored answer, decides what is delivered.
    /// </summary>
    public async Task ForgetAsync(IEnumerable<string> turnIds)
    {
        using var timeout = new CancellationTokenSource(ForgetTimeout);
        await Task.WhenAll(turnIds.Select(async turnId =>
        {
            try
            {
                await router.ForgetTurnAsync(turnId, timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                logger.LogWarning("The agent-router did not forget the delivered answer of turn {TurnId} ({ExceptionType}); it expires by itself",
                    turnId, ex.GetType().Name);
            }
        }));
    }

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
