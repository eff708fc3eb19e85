using System.Text.Json;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Sending;
using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>The outbound API (Moltbot's <c>send</c> as HTTP), behind the gateway token.</summary>
public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/messages").RequireGatewayToken();
        api.MapPost("", SendMessage);
        api.MapGet("/{id}", GetMessage);
        return api;
    }

    public static async Task<Results<Accepted<SendMessageResponse>, ValidationProblem, ProblemHttpResult>> SendMessage(
        HttpContext http, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, [AsParameters] MessageServices services)
    {
        SendMessageRequest? request;
        Exception? invalid = null;
        try
        {
            request = await http.Request.ReadFromJsonAsync(OutboundJsonContext.Default.SendMessageRequest, http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            request = null;
            invalid = e;
        }
        if (request is null)
        {
            // Every reject names the field: a value of the wrong type (e.g. "to": 5) says where, as JSON path and position.
            var json = invalid as JsonException;
            var where = json?.Path is { } path
                ? $"The JSON does not fit a send request at {path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}). "
                : invalid is null ? "The body is JSON null ($), not an object. " : "";
            var field = json?.Path is { Length: > 2 } fieldPath && fieldPath.StartsWith("$.", StringComparison.Ordinal) ? fieldPath[2..] : null;
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a send request",
                detail: where + "Send JSON: {\"to\": \"010-1234-5678\", \"message\": \"…\", \"idempotencyKey\": \"<uuid>\"} with Content-Type: application/json.",
                extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
        }

        var send = SendValidator.Validate(request, idempotencyKey, services.Config, out var errors);
        if (send is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The message cannot be sent as written");
        }

        var now = services.Time.GetUtcNow();
        // NHN's night rule is for advertising: an informational message goes out at once.
        var scheduledFor = send.Provider.IsNhn() && send.IsAd ? Kst.NightWindowEnd(send.Account.Outbound.NightWindow, now) : null;
        var outcome = await services.Store.AcceptAsync(send, now, scheduledFor);
        switch (outcome.Kind)
        {
            case AcceptOutcomeKind.DailyCapReached:
                var resetsAt = outcome.CapResetsAt!.Value;
                http.Response.Headers.RetryAfter = ((long)Math.Ceiling((resetsAt - now).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                services.Logger.LogWarning("Account {AccountId} reached its daily cap of {DailyCap}", send.Account.Id, send.Account.Outbound.DailyCap);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Daily cap reached",
                    detail: $"Account '{send.Account.Id}' has sent its {send.Account.Outbound.DailyCap} messages for today (outbound.dailyCap); it resets at {Kst.Iso(resetsAt)} (midnight KST).",
                    extensions: new Dictionary<string, object?> { ["resetsAt"] = Kst.Iso(resetsAt) });
            case AcceptOutcomeKind.KeyReusedWithOtherBody:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused with a different message",
                    detail: $"This idempotency key already sent message '{outcome.Response!.MessageId}' with other content; use a new key for a new message.");
            case AcceptOutcomeKind.Replayed:
                http.Response.Headers["Idempotent-Replayed"] = "true";
                break;
            default:
                services.Logger.LogInformation("Accepted {MessageId} for {Recipient} through {Provider} ({Status}, {Parts} part(s))",
                    outcome.Response!.MessageId, send.Recipient.Masked, send.Provider.Name(), outcome.Response.Status, send.TextParts.Count);
                services.Metrics.Accepted(send.Account.Id, send.Provider);
                break;
        }
        var response = outcome.Response!;
        return TypedResults.Accepted($"/api/v1/messages/{response.MessageId}", response);
    }

    public static async Task<Results<Ok<MessageView>, ProblemHttpResult>> GetMessage(
        string id, [AsParameters] MessageServices services)
    {
        var view = await services.Store.GetViewAsync(id);
        if (view is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such message",
                detail: $"No outbound message has the id '{id}'.");
        }
        return TypedResults.Ok(view);
    }
}
