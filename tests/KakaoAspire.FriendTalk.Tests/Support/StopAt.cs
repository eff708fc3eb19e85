using KakaoAspire.FriendTalk.Sending;

namespace KakaoAspire.FriendTalk.Tests.Support;

/// <summary>
/// A deterministic crash: the sender blocks at <paramref name="point"/> until the host stops, so nothing after
/// that point runs — Redis is left as a killed process would leave it.
/// </summary>
public sealed class StopAt(SendFaultPoint point) : ISendFaultHook
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reached => _reached.Task;

    public async ValueTask OnAsync(SendFaultPoint at, string batchId, CancellationToken cancellationToken)
    {
        if (at == point)
        {
            _reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
