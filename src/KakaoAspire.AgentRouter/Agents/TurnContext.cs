using KakaoAspire.AgentRouter.Routing;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>What an agent may know about the turn beyond the messages; travels in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
public sealed record TurnContext(
    TurnRequest Request, AgentRoute Route, KakaoAccountConfig? Account, string SessionKey, int HistoryMessages)
{
    public const string PropertyName = "moltbot.turn";

    public IReadOnlyList<string> Addresses => UserAddresses.For(Request);

    public static TurnContext? From(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true ? value as TurnContext : null;
}
