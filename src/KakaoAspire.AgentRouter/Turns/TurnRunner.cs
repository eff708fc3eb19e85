using System.Diagnostics;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>Runs one turn: pick the agent, load the session, ask the agent, keep both messages.</summary>
public sealed class TurnRunner(
    MoltbotConfig config, SessionStore sessions, BuiltinAgent builtin, TimeProvider time, ILogger<TurnRunner> logger)
{
    public static readonly ActivitySource ActivitySource = new("KakaoAspire.AgentRouter");

    public async Task<TurnResponse> RunAsync(TurnRequest request, CancellationToken cancellationToken)
    {
        using var activity = ActivitySource.StartActivity("agent turn");
        var agent = config.DefaultAgent;
        var peerId = request.PlusfriendUserKey ?? request.UserId;
        var sessionKey = SessionKeys.ForDirectMessage(agent.Id, request.Channel, request.AccountId, peerId, config.Session.DmScope);
        activity?.SetTag("moltbot.agent_id", agent.Id);
        activity?.SetTag("moltbot.matched_by", "default");

        var history = await sessions.ReadAsync(sessionKey);
        var messages = history
            .Select(t => new ChatMessage(t.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, t.Text))
            .Append(new ChatMessage(ChatRole.User, request.Text))
            .ToList();

        var response = await builtin.GetResponseAsync(messages, cancellationToken: cancellationToken);
        var now = time.GetUtcNow();
        await sessions.AppendAsync(sessionKey,
            new SessionTurn("user", request.Text, now),
            new SessionTurn("assistant", response.Text, now));

        logger.LogInformation("Turn {TurnId} answered by agent {AgentId} (matchedBy {MatchedBy}), {Length} characters",
            request.TurnId, agent.Id, "default", response.Text.Length);
        return new TurnResponse
        {
            TurnId = request.TurnId,
            AgentId = agent.Id,
            SessionKey = sessionKey,
            Text = response.Text,
        };
    }
}
