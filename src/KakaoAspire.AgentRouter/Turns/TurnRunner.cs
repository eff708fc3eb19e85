using System.Diagnostics;
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
/// keep both messages, and store the answer under the turn id before anyone is told.
/// </summary>
public sealed class TurnRunner(
    MoltbotConfig config,
    SessionStore sessions,
    SessionGenerations generations,
    SessionLock sessionLock,
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
        if (await answers.FindAsync(request.TurnId) is { } stored)
        {
            return stored;
        }

        var account = config.Kakao.FindAccount(request.AccountId);
        var timeout = TimeSpan.FromSeconds(account?.TimeoutSeconds ?? KakaoAccountConfig.DefaultTimeoutSeconds);
        // Waiting for the lock and the agent's own budget, plus one lease in case a dead router held the lock.
        var budget = timeout * 2 + options.Value.LockLease;
        if (!await answers.TryStartAsync(request.TurnId, budget))
        {
            return await WaitForAnswerAsync(request.TurnId, budget);
        }

        try
        {
            var answer = await RunClaimedAsync(request, account, timeout);
            await answers.SaveAsync(answer);
            return answer;
        }
        catch
        {
            await answers.AbandonAsync(request.TurnId);
            throw;
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

    private async Task<TurnResponse> RunClaimedAsync(TurnRequest request, KakaoAccountConfig? account, TimeSpan timeout)
    {
        using var activity = ActivitySource.StartActivity("agent turn");
        var started = time.GetTimestamp();
        // Kakao's plusfriendUserKey is stable per channel friend; user.id is the fallback for bots without a channel.
        var peerId = request.PlusfriendUserKey ?? request.UserId;
        var route = BindingResolver.Resolve(config, request.Channel, request.AccountId, "dm", peerId);
        if (route.GatewayOnly)
        {
            logger.LogDebug("Binding ({MatchedBy}) names agent {AgentId}, which is not in agents.list: it runs in the OpenClaw gateway",
                route.MatchedBy, route.Agent.Id);
        }
        activity?.SetTag("moltbot.agent_id", route.Agent.Id);
        activity?.SetTag("moltbot.matched_by", route.MatchedBy);
        activity?.SetTag("moltbot.turn_id", request.TurnId);
        TurnResponse Ended(TurnResponse answer, string outcome = "answered")
        {
            metrics.TurnEnded(route.Agent.Id, route.Agent.Model.ProviderName, answer.Failure ?? outcome, time.GetElapsedTime(started));
            return answer;
        }

        var baseKey = SessionKeys.ForDirectMessage(route.Agent.Id, request.Channel, request.AccountId, peerId, config.Session.DmScope);
        // A message that arrives during a turn waits for it (up to the turn budget) instead of being dropped.
        await using var held = await sessionLock.AcquireAsync(baseKey, timeout, lifetime.ApplicationStopping);
        if (held is null)
        {
            logger.LogWarning("Turn {TurnId}: session {SessionKey} is busy", request.TurnId, baseKey);
            return Ended(Answer(request, route, baseKey, AgentTexts.Busy, AgentFailure.Busy.Code));
        }

        var sessionKey = await generations.CurrentKeyAsync(baseKey);
        activity?.SetTag("moltbot.session_key", sessionKey);
        if (IsReset(request.Text))
        {
            await sessions.DeleteAsync(sessionKey);
            var fresh = await generations.AdvanceAsync(baseKey);
            logger.LogInformation("Turn {TurnId}: session {SessionKey} reset, continuing as {NewSessionKey}", request.TurnId, sessionKey, fresh);
            return Ended(Answer(request, route, fresh, AgentTexts.Reset), "reset");
        }

        var history = await sessions.ReadAsync(sessionKey);
        var context = new TurnContext(request, route, account, sessionKey, history.Count);
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(route.Agent.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, route.Agent.SystemPrompt));
        }
        messages.AddRange(history.Select(t => new ChatMessage(t.Role == "assistant" ? ChatRole.Assistant : ChatRole.User, t.Text)));
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
            logger.LogWarning("Turn {TurnId}: agent {AgentId} ({Provider}) failed: {Failure} ({ExceptionType})",
                request.TurnId, route.Agent.Id, route.Agent.Model.ProviderName, failure.Code, ex.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Code);
            return Ended(Answer(request, route, sessionKey, failure.Text, failure.Code));
        }

        var now = time.GetUtcNow();
        if (!await sessions.AppendAsync(sessionKey, held.Key, held.Token, history,
            new SessionTurn("user", request.Text, now),
            new SessionTurn("assistant", response.Text, now)))
        {
            // The user still gets the answer; only the shared history is left to the turn that holds the lock now.
            logger.LogWarning("Turn {TurnId}: the session lock of {SessionKey} was lost during the turn; its messages were not added to the history",
                request.TurnId, sessionKey);
        }

        logger.LogInformation("Turn {TurnId} answered by agent {AgentId} (matchedBy {MatchedBy}), {Length} characters",
            request.TurnId, route.Agent.Id, route.MatchedBy, response.Text.Length);
        return Ended(Answer(request, route, sessionKey, response.Text) with
        {
            QuickReplies = QuickReplies(response),
            ImageUrls = ImageUrls(response),
            Cards = Cards(response),
        });
    }

    private static AgentFailure? Failure(Exception exception, CancellationToken budget) =>
        exception is OperationCanceledException && budget.IsCancellationRequested
            ? AgentFailure.Timeout
            : AgentFailure.Classify(exception);

    public static bool IsReset(string text) =>
        text.Trim().ToLowerInvariant() is "/reset" or "/new";

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
