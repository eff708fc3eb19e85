using KakaoAspire.AgentRouter.Gateway;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// An agent that lives in the user's Moltbot gateway (provider "moltbot", or a Moltbot model string): each turn is
/// one <c>agent</c> run over the gateway's WebSocket (docs/gateway-protocol.md#one-agent-run). The reply comes back to us only
/// (<c>channel:"webchat"</c>, <c>deliver:false</c>); the gateway keeps the conversation, so only the new message goes.
/// </summary>
public sealed class MoltbotGatewayAgent(
    GatewayConnections gateways, IOptions<GatewayClientOptions> options, ILogger<MoltbotGatewayAgent> logger) : NonStreamingChatClient
{
    /// <summary>Appended to the gateway agent's own prompt for our runs: Kakao shows markdown as raw characters.</summary>
    public const string KakaoPrompt = "You are answering a KakaoTalk user. Reply in plain text (no markdown).";

    // A drop mid-run reconnects and asks again with the same idempotency key; twice is enough for one turn.
    private const int MaxAttempts = 3;

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = TurnContext.From(options)
            ?? throw new InvalidOperationException("The Moltbot gateway agent needs the turn's context (session key and turn id).");
        var history = messages.ToList();
        var agentId = GatewaySessionKeys.AgentId(context.Route.Agent);
        var run = new AgentParams
        {
            // The gateway refuses an empty message; an image-only Kakao turn still needs some text.
            Message = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text : "(빈 메시지)",
            AgentId = agentId,
            SessionKey = GatewaySessionKeys.WithAgent(context.SessionKey, agentId),
            Channel = "webchat",
            Deliver = false,
            Timeout = Math.Max(1, context.Account?.TimeoutSeconds ?? KakaoAccountConfig.DefaultTimeoutSeconds),
            ExtraSystemPrompt = ExtraSystemPrompt(history),
            IdempotencyKey = GatewaySessionKeys.IdempotencyKey(context.Request.TurnId),
        };

        var gateway = gateways.Default;
        try
        {
            var reply = await RunAsync(gateway, run, cancellationToken);
            logger.LogInformation("Moltbot gateway {Gateway}: run {RunId} of agent {MoltbotAgentId} answered from {Source}, {Length} characters, {Images} images",
                gateway.Display, run.IdempotencyKey, agentId, reply.Source, reply.Text.Length, reply.MediaUrls.Count);
            return reply.ToChatResponse();
        }
        catch (MoltbotGatewayException ex)
        {
            logger.LogWarning("Moltbot gateway {Gateway}: run {RunId} of agent {MoltbotAgentId} failed, cause {Cause}: {Detail}{Fix}",
                gateway.Display, run.IdempotencyKey, agentId, ex.CauseText(), ex.Detail, Fix(ex.Cause, agentId, gateway.Display));
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Moltbot gateway {Gateway}: run {RunId} of agent {MoltbotAgentId} failed, cause {Cause}: no answer within {TimeoutSeconds} s",
                gateway.Display, run.IdempotencyKey, agentId, "timeout", run.Timeout);
            throw;
        }
    }

    private async Task<GatewayReply> RunAsync(GatewayConnection gateway, AgentParams run, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var session = await gateway.GetSessionAsync(cancellationToken);
            try
            {
                return await RunOnceAsync(session, run, resumed: attempt > 1, cancellationToken);
            }
            catch (GatewayConnectionLostException lost) when (attempt < MaxAttempts)
            {
                logger.LogWarning("Moltbot gateway {Gateway}: connection lost during run {RunId} ({Close}); reconnecting to recover it",
                    gateway.Display, run.IdempotencyKey, lost.Detail);
            }
            catch (GatewayConnectionLostException lost)
            {
                throw new MoltbotGatewayException(GatewayFailureCause.ConnectionLost, $"{lost.Detail}, {attempt} times");
            }
        }
    }

    private async Task<GatewayReply> RunOnceAsync(GatewaySession session, AgentParams run, bool resumed, CancellationToken cancellationToken)
    {
        using var watch = session.Watch(run.IdempotencyKey);
        using var call = await session.CallAsync("agent", run, GatewayJsonContext.Default.AgentParams, cancellationToken);
        var first = await call.NextAsync(cancellationToken);
        if (first.Ok && first.Status == "in_flight")
        {
            // A replay of our run while it still goes (after a reconnect, or another router retrying the turn): no final
            // ever comes on this id, so wait for the run and read its answer from the transcript.
            return await RecoverAsync(session, run, cancellationToken);
        }
        if (!first.IsAccepted)
        {
            // A refusal, or a replay of a finished run: the gateway answers it with the cached final at once.
            return GatewayReply.FromFinal(first, first.Ok ? "final response" : "refusal");
        }

        // Only an ack. A fresh run sends its final res on this id; a replay of a run still going never does.
        var final = Observed(call.NextAsync(cancellationToken));
        if (resumed)
        {
            // After a reconnect this is likely that replay: ask the gateway directly when the run ends.
            var recovered = Observed(RecoverAsync(session, run, cancellationToken));
            return await Task.WhenAny(final, recovered) == final
                ? GatewayReply.FromFinal(await final, "final response")
                : await recovered;
        }

        await Task.WhenAny(final, watch.Ended);
        if (!final.IsCompleted)
        {
            await watch.Ended; // rethrows a drop
            await Task.WhenAny(final, Task.Delay(options.Value.FinalResponseGrace, cancellationToken));
        }
        return final.IsCompleted
            ? GatewayReply.FromFinal(await final, "final response")
            : await RecoverAsync(session, run, cancellationToken);
    }

    /// <summary><c>agent.wait</c> until the run ends, then its answer from <c>chat.history</c> (docs/gateway-protocol.md#idempotency-and-recovery).</summary>
    private async Task<GatewayReply> RecoverAsync(GatewaySession session, AgentParams run, CancellationToken cancellationToken)
    {
        using (var wait = await session.CallAsync("agent.wait", new AgentWaitParams(run.IdempotencyKey, run.Timeout * 1000),
                   GatewayJsonContext.Default.AgentWaitParams, cancellationToken))
        {
            var waited = await wait.NextAsync(cancellationToken);
            switch (waited.Status)
            {
                case "ok" when waited.Ok:
                    break;
                case "timeout":
                    throw new MoltbotGatewayException(GatewayFailureCause.Timeout, $"agent.wait: the run did not end within {run.Timeout} s");
                default:
                    throw new MoltbotGatewayException(GatewayFailureCause.RunError, waited.Ok
                        ? $"agent.wait: status {waited.Status}: {GatewayResponse.Text(waited.Payload, "error")}"
                        : $"agent.wait refused: {waited.ErrorText}");
            }
        }

        using var history = await session.CallAsync("chat.history", new ChatHistoryParams(run.SessionKey, 10),
            GatewayJsonContext.Default.ChatHistoryParams, cancellationToken);
        return GatewayReply.FromHistory(await history.NextAsync(cancellationToken));
    }

    // What the operator does about it, for the causes that need them (the log line names the agent and the gateway).
    private static string Fix(GatewayFailureCause cause, string agentId, string gateway) => cause switch
    {
        GatewayFailureCause.Unreachable or GatewayFailureCause.Starting =>
            $"; no OpenClaw gateway answers at {gateway} for agent {agentId}: start it ('openclaw gateway run') or set channels.kakao.moltbotGateway.url",
        GatewayFailureCause.UnknownAgent =>
            $"; the gateway at {gateway} has no agent {agentId}: add agents.entries.{agentId} to its openclaw.json, or bind Kakao to an agent it has",
        _ => "",
    };

    private static string ExtraSystemPrompt(IEnumerable<ChatMessage> history)
    {
        var agentPrompt = string.Join("\n\n", history.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Where(t => !string.IsNullOrWhiteSpace(t)));
        return agentPrompt.Length == 0 ? KakaoPrompt : $"{KakaoPrompt}\n\n{agentPrompt}";
    }

    // A task we may stop waiting for; its later failure (e.g. the socket closing) is observed here.
    private static Task<T> Observed<T>(Task<T> task)
    {
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }
}
