using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using KakaoAspire.AgentRouter.Gateway;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// The simple gateway mode: an <c>openai</c> agent pointed at an OpenClaw gateway's <c>/v1/chat/completions</c> with the
/// model <c>openclaw/&lt;agentId&gt;</c>. Without <c>x-openclaw-session-key</c> the gateway starts a fresh session per
/// request, so every request of the turn carries our session key (its agent part set to that agent). The gateway
/// ignores Moltbot's <c>x-moltbot-session-key</c>; it still goes along for Moltbot gateways.
/// </summary>
internal sealed class MoltbotSessionHeaderPolicy : PipelinePolicy
{
    public const string HeaderName = "x-openclaw-session-key";
    public const string LegacyHeaderName = "x-moltbot-session-key";

    // The turn's key flows down the awaited call into the HTTP pipeline, tool-call rounds included.
    private static readonly AsyncLocal<string?> Current = new();

    public static readonly MoltbotSessionHeaderPolicy Instance = new();

    public static string? SessionKey
    {
        get => Current.Value;
        set => Current.Value = value;
    }

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        AddHeader(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        AddHeader(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private static void AddHeader(PipelineMessage message)
    {
        if (Current.Value is { } key)
        {
            message.Request.Headers.Set(HeaderName, key);
            message.Request.Headers.Set(LegacyHeaderName, key);
        }
    }
}

/// <summary>
/// Outermost layer of every openai agent: takes the <see cref="TurnContext"/> out of the options (so it never reaches
/// the model's API) and, for an <c>openclaw/</c> (or <c>moltbot:</c>) model, sets the session key for <see cref="MoltbotSessionHeaderPolicy"/>.
/// </summary>
internal sealed class TurnContextScope(IChatClient inner, string? gatewayAgentId) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var previous = MoltbotSessionHeaderPolicy.SessionKey;
        MoltbotSessionHeaderPolicy.SessionKey = SessionKey(options);
        try
        {
            return await base.GetResponseAsync(messages, WithoutContext(options), cancellationToken);
        }
        finally
        {
            MoltbotSessionHeaderPolicy.SessionKey = previous;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        MoltbotSessionHeaderPolicy.SessionKey = SessionKey(options);
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithoutContext(options), cancellationToken))
        {
            yield return update;
        }
    }

    private string? SessionKey(ChatOptions? options) =>
        gatewayAgentId is not null && TurnContext.From(options) is { } context
            ? GatewaySessionKeys.WithAgent(context.SessionKey, gatewayAgentId)
            : null;

    private static ChatOptions? WithoutContext(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.ContainsKey(TurnContext.PropertyName) != true)
        {
            return options;
        }
        var copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(copy.AdditionalProperties!);
        copy.AdditionalProperties.Remove(TurnContext.PropertyName);
        if (copy.AdditionalProperties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }
        return copy;
    }
}
