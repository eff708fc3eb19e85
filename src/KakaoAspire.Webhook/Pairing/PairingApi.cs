using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Status;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.Webhook.Pairing;

/// <summary>The pairing API (docs/contracts.md#routes), used by <c>moltbot pairing list|approve kakao</c>. Bearer: the gateway token.</summary>
public static class PairingApi
{
    public static RouteGroupBuilder MapPairingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/pairing/kakao");
        api.MapGet("/", List);
        api.MapPost("/approve", Approve);
        return api;
    }

    public static async Task<Results<Ok<PairingList>, ProblemHttpResult>> List(
        HttpRequest request, MoltbotConfig config, GatewayToken token, PairingStore store, string? accountId = null)
    {
        if (!ApiAuth.IsAuthorized(request, token))
        {
            return ApiAuth.Unauthorized();
        }
        var accounts = string.IsNullOrWhiteSpace(accountId)
            ? config.Kakao.Accounts.Select(a => a.Id)
            : [accountId.Trim().ToLowerInvariant()];
        return TypedResults.Ok(new PairingList(await store.ListAsync(accounts)));
    }

    public static async Task<Results<Ok<PairingApproval>, ProblemHttpResult>> Approve(
        HttpRequest request, GatewayToken token, PairingStore store, ApproveRequest? body)
    {
        if (!ApiAuth.IsAuthorized(request, token))
        {
            return ApiAuth.Unauthorized();
        }
        if (string.IsNullOrWhiteSpace(body?.Code))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing code",
                detail: "Send {\"code\": \"<CODE>\"} with the code the user received.",
                extensions: new Dictionary<string, object?> { ["field"] = "code" });
        }
        var approved = await store.ApproveAsync(body.Code, body.AccountId);
        if (approved is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown pairing code",
                detail: "No pending request has this code: it is mistyped, already approved or older than 1 hour. Ask the user to send a new message for a new code.");
        }
        return TypedResults.Ok(new PairingApproval(approved.AccountId, approved.UserId, approved.Code));
    }
}

public sealed record ApproveRequest(string? Code, string? AccountId);

public sealed record PairingList(IReadOnlyList<PairingRequest> Requests);

public sealed record PairingApproval(string AccountId, string UserId, string Code);
