using System.Collections.Concurrent;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// The agent turns this process started. A turn runs in the background, not on the request, so the reply can leave at
/// the deadline while the router keeps working; the callback worker and duplicate requests wait on the same task.
/// </summary>
public sealed class RunningTurns(IHostApplicationLifetime lifetime, ILogger<RunningTurns> logger)
{
    // Long enough for a duplicate within the dedupe window or a callback to find the finished task.
    private static readonly TimeSpan KeepAfterCompletion = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Task<TurnResponse>> _turns = new();

    public Task<TurnResponse> Start(AgentRouterClient router, TurnRequest turn, TimeSpan budget)
    {
        var task = Task.Run(async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
            timeout.CancelAfter(budget);
            return await router.RunTurnAsync(turn, timeout.Token);
        });
        _turns[turn.TurnId] = task;
        _ = ForgetLaterAsync(turn.TurnId, task);
        return task;
    }

    public Task<TurnResponse>? Find(string turnId) => _turns.GetValueOrDefault(turnId);

    private async Task ForgetLaterAsync(string turnId, Task<TurnResponse> task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Turn {TurnId} failed in the agent-router call", turnId);
        }
        await Task.Delay(KeepAfterCompletion);
        _turns.TryRemove(turnId, out _);
    }
}
