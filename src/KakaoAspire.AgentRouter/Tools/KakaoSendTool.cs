using System.ComponentModel;
using KakaoAspire.AgentRouter.Agents;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Tools;

/// <summary>
/// The <c>kakao_send</c> function an agent may call to message a Kakao user proactively. Built per turn, so the
/// recipient check knows who is asking. The friendtalk service has no send endpoint yet: an allowed call is
/// answered honestly that sending is unavailable, and nothing is sent.
/// </summary>
public static class KakaoSendTool
{
    public const string Name = "kakao_send";

    public const string NotAllowedResult =
        "Not sent: that recipient is not allowed. You may message only the current user or the account's outbound.agentRecipients.";

    public const string UnavailableResult =
        "Not sent: proactive sending is not available yet (the friendtalk service has no send endpoint yet). " +
        "Tell the user the message could not be sent.";

    public static AIFunction Create(TurnContext context, ILogger logger) => AIFunctionFactory.Create(
        ([Description("Recipient: kakao:plusfriendUserKey:<id>, kakao:botUserKey:<id>, kakao:appUserId:<id> or a phone number")] string to,
         [Description("The message text")] string message) =>
        {
            var recipients = context.Account?.Outbound.AgentRecipients ?? [];
            if (!RecipientPolicy.IsAllowed(to, context.Request, recipients))
            {
                logger.LogWarning("Agent {AgentId} asked kakao_send for a recipient outside its allowed list in turn {TurnId}",
                    context.Route.Agent.Id, context.Request.TurnId);
                return NotAllowedResult;
            }
            // The idempotency key the outbound API will take, so a retried turn never sends twice.
            var idempotencyKey = $"turn:{context.Request.TurnId}:{Name}";
            logger.LogInformation("kakao_send by agent {AgentId} ({IdempotencyKey}, {Length} characters) not sent: outbound API not available",
                context.Route.Agent.Id, idempotencyKey, message.Length);
            return UnavailableResult;
        },
        Name,
        "Send a KakaoTalk message proactively to the current user or an allowed recipient.");
}
