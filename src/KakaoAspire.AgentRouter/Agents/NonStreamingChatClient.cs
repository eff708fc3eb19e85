using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// An agent that answers a turn as a whole (KakaoTalk shows finished answers only): streaming replays the one
/// response as updates, so a caller that streams still works.
/// </summary>
public abstract class NonStreamingChatClient : IChatClient
{
    public abstract Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType.IsInstanceOfType(this) ? this : null;

    public virtual void Dispose()
    {
    }
}
