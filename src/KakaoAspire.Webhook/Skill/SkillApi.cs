using System.Diagnostics;
using KakaoAspire.Kakao.Skill;
using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.Webhook.Skill;

/// <summary>The Kakao i Open Builder skill endpoint. The edge rewrites every account's webhookPath to it.</summary>
public static class SkillApi
{
    public static readonly ActivitySource ActivitySource = new("KakaoAspire.Webhook");

    public static RouteGroupBuilder MapSkillApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/kakao");
        api.MapPost("/skill", HandleSkill);
        return api;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> HandleSkill(
        HttpRequest request, MoltbotConfig config, AgentRouterClient router, ILogger<AgentRouterClient> logger,
        CancellationToken cancellationToken)
    {
        var accountId = request.Headers[InternalHeaders.Account].ToString();
        var account = config.Kakao.FindAccount(accountId);
        if (account is null || !account.Enabled)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown account",
                "Skill requests reach this service through the edge, which names the account from the webhook port and path.");
        }
        if (account.WebhookSecret is { } secret
            && !SecretComparer.AreEqual(request.Headers[account.WebhookSecretHeader].ToString(), secret))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Missing or wrong webhook secret",
                $"Send the secret in the {account.WebhookSecretHeader} header (Open Builder: skill → headers).");
        }

        var read = await SkillJson.ParsePayloadAsync(request.Body, cancellationToken);
        if (!read.Success)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid skill request", read.Error, read.Field);
        }
        var payload = read.Payload;
        using var activity = ActivitySource.StartActivity("skill request");
        activity?.SetTag("kakao.account_id", account.Id);

        if (account.DmPolicy == DmPolicy.Disabled)
        {
            logger.LogInformation("Dropped a message for account {AccountId}: dmPolicy is disabled", account.Id);
            return Skill(SkillResponse.Text(account.DeniedText));
        }

        var properties = payload.UserRequest!.User!.Properties;
        var turn = new TurnRequest
        {
            TurnId = Guid.CreateVersion7().ToString("N"),
            AccountId = account.Id,
            UserId = payload.UserId!,
            UserType = payload.UserRequest.User.Type,
            BotUserKey = properties?.BotUserKey,
            PlusfriendUserKey = properties?.PlusfriendUserKey,
            AppUserId = properties?.AppUserId,
            Text = payload.Utterance!,
        };
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(account.ReplyDeadlineMs);
            var answer = await router.RunTurnAsync(turn, deadline.Token);
            var text = string.IsNullOrWhiteSpace(answer.Text) ? account.EmptyReplyText : answer.Text;
            return Skill(SkillResponse.Create().AddChunkedText(text, account.TextChunkLimit).Build());
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogError(ex, "Turn {TurnId} for account {AccountId} failed", turn.TurnId, account.Id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            return Skill(SkillResponse.Text(SkillTexts.AgentFailed));
        }
    }

    private static FileContentHttpResult Skill(SkillResponse response) =>
        TypedResults.File(SkillJson.SerializeToUtf8Bytes(response), "application/json; charset=utf-8");

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
}
