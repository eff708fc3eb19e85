using KakaoAspire.FriendTalk.Sending;

namespace KakaoAspire.FriendTalk.Tests.Support;

/// <summary>
/// A worker that stalls (a long GC pause, a frozen VM) and then carries on: the first time the sender reaches
/// <paramref name="point"/> it waits <paramref name="pause"/>, longer than its lease, and goes on from there.
/// </summary>
public sealed class PauseAt(SendFaultPoint point, TimeSpan pause) : ISendFaultHook
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reached => _reached.Task;

    public Task Resumed => _resumed.Task;

    public async ValueTask OnAsync(SendFaultPoint at, string batchId, CancellationToken cancellationToken)
    {
        if (at == point && _reached.TrySetResult())
        {
            await Task.Delay(pause, cancellationToken);
            _resumed.TrySetResult();
        }
    }
}
