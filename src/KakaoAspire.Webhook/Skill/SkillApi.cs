using System.Diagnostics;
using System.Globalization;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;
using KakaoAspire.Webhook.Metrics;
using KakaoAspire.Webhook.Limits;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Skill;

/// <summary>The Kakao i Open Builder skill endpoint. The edge rewrites every account's webhookPath to it.</summary>
public static partial class SkillApi
{
    public static readonly ActivitySource ActivitySource = new("KakaoAspire.Webhook");

    public static RouteGroupBuilder MapSkillApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(InternalPaths.Skill);
        api.MapPost("", HandleSkill);
        api.MapMethods("", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Head, HttpMethods.Options], MethodNotAllowed);
        return api;
    }

    /// <summary>Open Builder only ever POSTs; say so, with <c>Allow: POST</c>.</summary>
    public static ProblemHttpResult MethodNotAllowed(HttpResponse response)
    {
        response.Headers.Allow = HttpMethods.Post;
        return Problem(StatusCodes.Status405MethodNotAllowed, "Method not allowed", "The skill endpoint accepts POST only.");
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> HandleSkill(
        HttpRequest request, [AsParameters] SkillServices services, CancellationToken cancellationToken)
    {
        var arrival = Arrival(request, services.Time);
        var accountId = request.Headers[InternalHeaders.Account].ToString();
        var account = services.Config.Kakao.FindAccount(accountId);
        if (account is null || !account.Enabled)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown account",
                "Skill requests reach this service through the edge, which names the account from the webhook port and path.");
        }
        // Required unless the account opted out: without it anyone who can reach the port posts as any Kakao user.
        if (!account.AllowUnauthenticatedWebhook
            && !SecretComparer.AreEqual(request.Headers[account.WebhookSecretHeader].ToString(), account.WebhookSecret))
        {
            LogWrongSecret(services.Logger, account.Id);
            services.Metrics.SkillAnswered(account.Id, SkillOutcome.Denied, services.Time.GetElapsedTime(arrival));
            return Problem(StatusCodes.Status401Unauthorized, "Missing or wrong webhook secret",
                $"Send the secret in the {account.WebhookSecretHeader} header (Open Builder: 스킬 → 헤더값 입력); " +
                "'moltbot kakao status' says where the value is.");
        }

        var read = await SkillJson.ParsePayloadAsync(request.Body, cancellationToken);
        if (!read.Success)
        {
            services.Metrics.SkillAnswered(account.Id, SkillOutcome.Error, services.Time.GetElapsedTime(arrival));
            return Problem(StatusCodes.Status400BadRequest, "Invalid skill request", read.Error, read.Field);
        }
        var payload = read.Payload;
        if (SkillInputRules.InvalidId(payload) is { } invalid)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid skill request", invalid.Error, invalid.Field);
        }
        var user = KakaoUserIds.From(payload);
        using var activity = ActivitySource.StartActivity("skill request");
        activity?.SetTag("kakao.account_id", account.Id);
        activity?.SetTag("kakao.utterance_length", payload.Utterance!.Length);

        // Every request that got this far is counted in the account's inbound activity, once (see InboundCount).
        var inbound = new InboundCount(services.Activity, account.Id);
        try
        {
            var access = await services.Access.CheckAsync(account, user);
            // Refused whole, before anything is stored or sent to an agent; the user reads how to go on.
            var refusal = !access.Allowed ? access.Reply! : SkillInputRules.IsUtteranceTooLong(payload) ? SkillInputRules.UtteranceTooLong : null;
            if (refusal is not null)
            {
                await inbound.WriteAsync();
            }
            var response = refusal is not null ? SkillResponse.Text(refusal)
                : await services.Reply.ComposeAsync(account, user, payload, arrival, inbound, cancellationToken);
            // The server-side time from arrival to reply, per request: what the deadline is measured against.
            var elapsed = services.Time.GetElapsedTime(arrival);
            var outcome = !access.Allowed ? SkillOutcome.Denied : Outcome(response);
            activity?.SetTag("kakao.outcome", outcome);
            services.Lines.Answered(account.Id, elapsed, outcome);
            services.Metrics.SkillAnswered(account.Id, outcome, elapsed);
            return Skill(response);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or HttpRequestException or KakaoLimitException
            or InvalidOperationException or System.Text.Json.JsonException)
        {
            // Kakao shows nothing for an HTTP error, so the user gets a polite answer and the error goes to the log and trace.
            LogFailed(services.Logger, ex, account.Id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            await inbound.RecordErrorAsync(ex.GetType().Name);
            services.Metrics.SkillAnswered(account.Id, SkillOutcome.Error, services.Time.GetElapsedTime(arrival));
            return Skill(SkillResponse.Text(SkillTexts.AgentFailed));
        }
    }

    /// <summary>
    /// How an allowed request was answered, as the user saw it: the callback acknowledgement, an answer held for later
    /// (the reply offers "답변 확인", whether alone or after earlier answers), or the answer inline.
    /// </summary>
    public static string Outcome(SkillResponse response) =>
        response.UseCallback == true ? SkillOutcome.Callback
        : response.Template?.QuickReplies?.Any(q => q.Label == SkillTexts.CheckLabel) == true ? SkillOutcome.Held
        : SkillOutcome.Inline;

    /// <summary>
    /// The moment the deadline counts from: when the edge received the request (its stamp), so a queue in front of
    /// this service eats into the budget instead of stretching it. A stamp that is missing, in the future or
    /// implausibly old (clocks of different hosts) is ignored.
    /// </summary>
    public static long Arrival(HttpRequest request, TimeProvider time)
    {
        var now = time.GetTimestamp();
        if (long.TryParse(request.Headers[InternalHeaders.ReceivedAt], NumberStyles.None, CultureInfo.InvariantCulture, out var receivedAt))
        {
            var waited = time.GetUtcNow().ToUnixTimeMilliseconds() - receivedAt;
            if (waited is > 0 and < 2000)
            {
                return now - waited * time.TimestampFrequency / 1000;
            }
        }
        return now;
    }

    private static FileContentHttpResult Skill(SkillResponse response) =>
        TypedResults.File(SkillJson.SerializeToUtf8Bytes(response), "application/json; charset=utf-8");

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    [LoggerMessage(LogLevel.Warning, "Refused a skill request for account {AccountId}: missing or wrong webhook secret")]
    private static partial void LogWrongSecret(ILogger logger, string accountId);

    [LoggerMessage(LogLevel.Error, "Skill request for account {AccountId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string accountId);
}
