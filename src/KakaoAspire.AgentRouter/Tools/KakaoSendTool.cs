using System.ComponentModel;
using KakaoAspire.AgentRouter.Agents;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Tools;

/// <summary>
/// The <c>kakao_send</c> function an agent may call to message a Kakao user proactively, through the friendtalk
/// service's outbound API. Built per turn, so the recipient check knows who is asking; the idempotency key is the
/// turn id plus the call's number in the turn, so a retried turn repeats the same keys and nothing is sent twice.
/// The account's dailyCap is enforced by the outbound API (the agent then reads "Not sent (429)"); before it, the
/// account's <c>outbound.agentSendsPerTurn</c> and <c>agentSendsPerUserPerDay</c> bound what one user's turns can spend.
/// </summary>
public static class KakaoSendTool
{
    public const string Name = "kakao_send";

    public const string NotAllowedResult =
        "Not sent: that recipient is not allowed. You may message only the current user or the account's outbound.agentRecipients.";

    public static AIFunction Create(TurnContext context, OutboundApiClient outbound, AgentSendQuota quota, ILogger logger)
    {
        var limits = context.Account?.Outbound ?? new Moltbot.Config.OutboundConfig();
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
                var call = Interlocked.Increment(ref calls);
                if (call > limits.AgentSendsPerTurn)
                {
                    logger.LogWarning("Agent {AgentId} asked kakao_send more than {PerTurn} times in turn {TurnId}",
                        context.Route.Agent.Id, limits.AgentSendsPerTurn, context.Request.TurnId);
                    return $"Not sent: at most {limits.AgentSendsPerTurn} messages per turn (outbound.agentSendsPerTurn). Do not try again in this turn.";
                }
                var idempotencyKey = $"turn:{context.Request.TurnId}:{Name}:{call}";
                try
                {
                    var asker = context.Request.PlusfriendUserKey ?? context.Request.UserId;
                    if (!await quota.TryTakeAsync(context.Request.AccountId, asker, idempotencyKey, limits.AgentSendsPerUserPerDay))
                    {
                        logger.LogWarning("Agent {AgentId}: kakao_send refused in turn {TurnId}, the user's {PerDay} sends of today are used",
                            context.Route.Agent.Id, context.Request.TurnId, limits.AgentSendsPerUserPerDay);
                        return $"Not sent: this user's conversations may send at most {limits.AgentSendsPerUserPerDay} messages a day " +
                               "(outbound.agentSendsPerUserPerDay); it resets at midnight KST. Tell the user.";
                    }
                    var outcome = await outbound.SendAsync(context.Request.AccountId, to, message, idempotencyKey, cancellationToken);
                    logger.LogInformation("kakao_send by agent {AgentId} ({IdempotencyKey}, {Length} characters): {Accepted}",
                        context.Route.Agent.Id, idempotencyKey, message.Length, outcome.Accepted ? "accepted" : "refused");
                    return outcome.Text;
                }
                catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                    or StackExchange.Redis.RedisException or TimeoutException)
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
