namespace KakaoAspire.FriendTalk.Sending;

/// <summary>
/// Called at each <see cref="SendFaultPoint"/>. Production uses <see cref="NoSendFaults"/>; crash tests block
/// here and stop the host, which leaves Redis exactly as a killed process would.
/// </summary>
public interface ISendFaultHook
{
    ValueTask OnAsync(SendFaultPoint point, string batchId, CancellationToken cancellationToken);
}

public sealed class NoSendFaults : ISendFaultHook
{
    public ValueTask OnAsync(SendFaultPoint point, string batchId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
