using System.ComponentModel;
using KakaoAspire.AgentRouter.Agents;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Tools;

/// <summary>
/// The <c>kakao_send</c> function an agent may call to message a Kakao user proactively, through the friendtalk
/// service's outbound API. Built per turn, so the recipient check knows who is asking; the idempotency key is the
/// turn id plus the call's number in the turn, so a retried turn repeats the same keys and nothing is sent twice.
/// The account's dailyCap is enforced by the outbound API (the agent then reads "Not sent (429)").
/// </summary>
public static class KakaoSendTool
{
    public const string Name = "kakao_send";

    public const string NotAllowedResult =
        "Not sent: that recipient is not allowed. You may message only the current user or the account's outbound.agentRecipients.";

    public static AIFunction Create(TurnContext context, OutboundApiClient outbound, ILogger logger)
    {
        var calls = 0;
        return AIFunctionFactory.Create(
            async ([Description("Recipient: kakao:plusfriendUserKey:<id>, kakao:botUserKey:<id>, kakao:appUserId:<id> or a phone number")] string to,
             [Description("The message text")] string message,
             CancellationToken cancellationToken) =>
            {
                var recipients = context.Account?.Outbound.AgentRecipients ?? [];
                if (!RecipientPolicy.IsAllowed(to, context.Request, recipients))
                {
                    logger.LogWarning("Agent {AgentId} asked kakao_send for a recipient outside its allowed list in turn {TurnId}",
                        context.Route.Agent.Id, context.Request.TurnId);
                    return NotAllowedResult;
                }
                var idempotencyKey = $"turn:{context.Request.TurnId}:{Name}:{Interlocked.Increment(ref calls)}";
                try
                {
                    var outcome = await outbound.SendAsync(context.Request.AccountId, to, message, idempotencyKey, cancellationToken);
                    logger.LogInformation("kakao_send by agent {AgentId} ({IdempotencyKey}, {Length} characters): {Accepted}",
                        context.Route.Agent.Id, idempotencyKey, message.Length, outcome.Accepted ? "accepted" : "refused");
                    return outcome.Text;
                }
                catch (HttpRequestException ex)
                {
                    logger.LogWarning(ex, "kakao_send by agent {AgentId} ({IdempotencyKey}): the outbound API did not answer",
                        context.Route.Agent.Id, idempotencyKey);
                    return "Not sent: the outbound service is not reachable right now. Tell the user to try again later.";
                }
            },
            Name,
            "Send a KakaoTalk message proactively to the current user or an allowed recipient.");
    }
}
