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
public sealed class TurnAnswers(RunningTurns running, AgentRouterClient router, FailedTurnStore failed, DeliveredTurnsSender delivered)
{
    public async Task<TurnOutcome> LookAsync(string turnId, CancellationToken cancellationToken)
    {
        if (running.Find(turnId) is { } task)
        {
            return !task.IsCompleted ? new(AnswerState.Running)
                : task.IsCompletedSuccessfully ? new(AnswerState.Ready, task.Result)
                : new(AnswerState.Ready, Failed(turnId));
        }
        TurnOutcome outcome;
        try
        {
            outcome = await router.GetTurnAsync(turnId, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The router is away for a moment; the answer is not lost, ask again later.
            outcome = new(AnswerState.Running);
        }
        // A router that died mid-turn still claims it ("running") until the claim runs out; the call that saw it die wrote
        // the failure down. An answer the router did store wins.
        return outcome.State == AnswerState.Running && await failed.IsFailedAsync(turnId)
            ? new(AnswerState.Ready, Failed(turnId))
            : outcome;
    }

    /// <summary>
    /// Once delivered, the router forgets the answers: queued, not awaited, so the reply never waits for it; they go in
    /// the sender's next call, together with other replies' (<see cref="DeliveredTurnsSender"/>).
    /// </summary>
    public void Forget(IEnumerable<string> turnIds)
    {
        foreach (var turnId in turnIds)
        {
            delivered.Add(turnId);
        }
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
