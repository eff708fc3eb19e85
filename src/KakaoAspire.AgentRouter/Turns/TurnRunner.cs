using System.Diagnostics;
using System.Text;
using KakaoAspire.AgentRouter.Metrics;
using KakaoAspire.AgentRouter.Options;
using KakaoAspire.AgentRouter.Routing;
using KakaoAspire.AgentRouter.Tools;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// Runs one turn: pick the agent, take the session's lock, load the history, ask the agent within its budget,
/// keep both messages, and store the answer under the turn id before anyone is told. With the session free, that is
/// two Redis round trips (<see cref="TurnStore"/>).
/// </summary>
public sealed partial class TurnRunner(
    MoltbotConfig config,
    SessionStore sessions,
    SessionGenerations generations,
    TurnStore turns,
    TurnAnswerStore answers,
    AgentClients agents,
    OutboundApiClient outbound,
    AgentSendQuota sendQuota,
    IOptions<RouterOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<TurnRunner> logger,
    RouterMetrics metrics)
{
    public static readonly ActivitySource ActivitySource = new("KakaoAspire.AgentRouter");

    private static readonly TimeSpan AnswerPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The stored answer when the turn id was seen before; otherwise runs it. Null only when another request
    /// for the same turn id is still running it after the wait.
    /// </summary>
    public async Task<TurnResponse?> RunAsync(TurnRequest request)
    {
        var started = time.GetTimestamp();
        var account = config.Kakao.FindAccount(request.AccountId);
        var timeout = TimeSpan.FromSeconds(account?.TimeoutSeconds ?? KakaoAccountConfig.DefaultTimeoutSeconds);
        // Waiting for the lock and the agent's own budget, plus one lease in case a dead router held the lock.
        var budget = timeout * 2 + options.Value.LockLease;
        // Kakao's plusfriendUserKey is stable per channel friend; user.id is the fallback for bots without a channel.
        var peerId = request.PlusfriendUserKey ?? request.UserId;
        var route = BindingResolver.Resolve(config, request.Channel, request.AccountId, "dm", peerId);
        var baseKey = SessionKeys.ForDirectMessage(route.Agent.Id, request.Channel, request.AccountId, peerId, config.Session.DmScope);

        var beginning = await turns.BeginAsync(request.TurnId, budget, baseKey);
        if (beginning.StoredAnswer is { } stored)
        {
            return stored;
        }
        if (!beginning.Claimed)
        {
            return await WaitForAnswerAsync(request.TurnId, budget);
        }

        var session = beginning.Session;
        try
        {
            // A message that arrives during a turn waits for it (up to the turn budget) instead of being dropped.
            session ??= await turns.WaitForSessionAsync(baseKey, timeout, lifetime.ApplicationStopping);
            var (answer, exchange) = await RunClaimedAsync(request, account, timeout, route, baseKey, session, started);
            if (!await turns.EndAsync(answer, session, exchange))
            {
                // The user still gets the answer; only the shared history is left to the turn that holds the lock now.
                LogLockLost(logger, request.TurnId, session!.Key);
            }
            return answer;
        }
        catch
        {
            await answers.AbandonAsync(request.TurnId);
            throw;
        }
        finally
        {
            // Releases the lock unless the turn's last script did.
            if (session is not null)
            {
                await session.Lock.DisposeAsync();
            }
        }
    }

    private async Task<TurnResponse?> WaitForAnswerAsync(string turnId, TimeSpan budget)
    {
        var deadline = time.GetUtcNow() + budget;
        while (time.GetUtcNow() < deadline && await answers.IsRunningAsync(turnId))
        {
            await Task.Delay(AnswerPollInterval, lifetime.ApplicationStopping);
        }
        return await answers.FindAsync(turnId);
    }

    /// <summary>The answer, and the messages to add to the session's history (none when the agent did not answer).</summary>
    private async Task<(TurnResponse Answer, IReadOnlyList<SessionTurn> Exchange)> RunClaimedAsync(
        TurnRequest request, KakaoAccountConfig? account, TimeSpan timeout, AgentRoute route, string baseKey, HeldSession? session, long started)
    {
        using var activity = ActivitySource.StartActivity("agent turn");
        if (route.GatewayOnly)
        {
            LogGatewayOnly(logger, route.MatchedBy, route.Agent.Id);
        }
        activity?.SetTag("moltbot.agent_id", route.Agent.Id);
        activity?.SetTag("moltbot.matched_by", route.MatchedBy);
        activity?.SetTag("moltbot.turn_id", request.TurnId);
        (TurnResponse, IReadOnlyList<SessionTurn>) Ended(TurnResponse answer, string outcome = "answered", IReadOnlyList<SessionTurn>? exchange = null)
        {
            metrics.TurnEnded(route.Agent.Id, route.Agent.Model.ProviderName, answer.Failure ?? outcome, time.GetElapsedTime(started));
            return (answer, exchange ?? []);
        }

        if (session is null)
        {
            LogBusy(logger, request.TurnId, baseKey);
            return Ended(Answer(request, route, baseKey, AgentTexts.Busy, AgentFailure.Busy.Code));
        }

        var sessionKey = session.Key;
        activity?.SetTag("moltbot.session_key", sessionKey);
        if (IsReset(request.Text))
        {
            await sessions.DeleteAsync(sessionKey);
            var fresh = await generations.AdvanceAsync(baseKey);
            LogReset(logger, request.TurnId, sessionKey, fresh);
            return Ended(Answer(request, route, fresh, AgentTexts.Reset), "reset");
        }

        var history = session.History;
        var context = new TurnContext(request, route, account, sessionKey, history.Count);
        var messages = new List<ChatMessage>(history.Count + 2);
        if (!string.IsNullOrWhiteSpace(route.Agent.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, route.Agent.SystemPrompt));
        }
        foreach (var turn in history)
        {
            messages.Add(new ChatMessage(turn.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, turn.Text));
        }
        messages.Add(new ChatMessage(ChatRole.User, request.Text));
        // An openai agent's outermost layer (TurnContextScope) takes the context out again before the model's API sees it.
        var chatOptions = new ChatOptions { AdditionalProperties = new() { [TurnContext.PropertyName] = context } };
        if (route.Agent.Model.Provider == AgentModelProvider.OpenAI)
        {
            chatOptions.Tools = [KakaoSendTool.Create(context, outbound, sendQuota, logger)];
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        budget.CancelAfter(timeout);
        ChatResponse response;
        try
        {
            response = await agents.For(route.Agent).GetResponseAsync(messages, chatOptions, budget.Token);
        }
        catch (Exception ex) when (Failure(ex, budget.Token) is { } failure)
        {
            // The cause and the agent, never the key or the user's text.
            LogAgentFailed(logger, request.TurnId, route.Agent.Id, route.Agent.Model.ProviderName, failure.Code, ex.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Code);
            return Ended(Answer(request, route, sessionKey, failure.Text, failure.Code));
        }

        LogAnswered(logger, request.TurnId, route.Agent.Id, route.MatchedBy, response.Text.Length);
        var now = time.GetUtcNow();
        return Ended(Answer(request, route, sessionKey, response.Text) with
        {
            QuickReplies = QuickReplies(response),
            ImageUrls = ImageUrls(response),
            Cards = Cards(response),
        }, exchange: [new SessionTurn("user", request.Text, now), new SessionTurn("assistant", response.Text, now)]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Turn {TurnId} answered by agent {AgentId} (matchedBy {MatchedBy}), {Length} characters")]
    private static partial void LogAnswered(ILogger logger, string turnId, string agentId, string matchedBy, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Turn {TurnId}: agent {AgentId} ({Provider}) failed: {Failure} ({ExceptionType})")]
    private static partial void LogAgentFailed(ILogger logger, string turnId, string agentId, string provider, string failure, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Turn {TurnId}: session {SessionKey} is busy")]
    private static partial void LogBusy(ILogger logger, string turnId, string sessionKey);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Turn {TurnId}: the session lock of {SessionKey} was lost during the turn; its messages were not added to the history")]
    private static partial void LogLockLost(ILogger logger, string turnId, string sessionKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Turn {TurnId}: session {SessionKey} reset, continuing as {NewSessionKey}")]
    private static partial void LogReset(ILogger logger, string turnId, string sessionKey, string newSessionKey);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Binding ({MatchedBy}) names agent {AgentId}, which is not in agents.list: it runs in the OpenClaw gateway")]
    private static partial void LogGatewayOnly(ILogger logger, string matchedBy, string agentId);

    private static AgentFailure? Failure(Exception exception, CancellationToken budget) =>
        exception is OperationCanceledException && budget.IsCancellationRequested
            ? AgentFailure.Timeout
            : AgentFailure.Classify(exception);

    // Without a lowered copy of every message: both words are ASCII, and no other character lowers to theirs.
    public static bool IsReset(string text) =>
        text.AsSpan().Trim() is var word && (Ascii.EqualsIgnoreCase(word, "/reset") || Ascii.EqualsIgnoreCase(word, "/new"));

    private static TurnResponse Answer(TurnRequest request, AgentRoute route, string sessionKey, string text, string? failure = null) => new()
    {
        TurnId = request.TurnId,
        AgentId = route.Agent.Id,
        SessionKey = sessionKey,
        Text = text,
        MatchedBy = route.MatchedBy,
        Failure = failure,
    };

    private static IReadOnlyList<string> QuickReplies(ChatResponse response) => response.Messages
        .Select(m => m.AdditionalProperties?.TryGetValue(BuiltinAgent.QuickRepliesProperty, out var value) == true ? value : null)
        .OfType<IEnumerable<string>>()
        .SelectMany(r => r)
        .ToList();

    private static IReadOnlyList<TurnCard> Cards(ChatResponse response) => response.Messages
        .Select(m => m.AdditionalProperties?.TryGetValue(BuiltinAgent.CardsProperty, out var value) == true ? value : null)
        .OfType<IEnumerable<TurnCard>>()
        .SelectMany(c => c)
        .ToList();

    private static IReadOnlyList<string> ImageUrls(ChatResponse response) => response.Messages
        .SelectMany(m => m.Contents)
        .OfType<UriContent>()
        .Where(c => c.HasTopLevelMediaType("image"))
        .Select(c => c.Uri.ToString())
        .ToList();
}
