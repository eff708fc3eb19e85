using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.Webhook.Pairing;

/// <summary>
/// The pairing API (docs/contracts.md#routes), used by <c>moltbot pairing list|approve kakao</c> and the plugin's
/// <c>openclaw kakao pairing</c>. Bearer: the gateway token. For an account whose agents are in OpenClaw behind the Kakao
/// plugin, OpenClaw's pairing store is kept in step: an approval here is made there too, and OpenClaw reports its own
/// approvals to <c>approved</c>.
/// </summary>
public static class PairingApi
{
    public static RouteGroupBuilder MapPairingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/pairing/kakao").RequireGatewayToken();
        api.MapGet("/", List);
        api.MapPost("/approve", Approve);
        api.MapPost("/approved", Approved);
        return api;
    }

    public static async Task<Results<Ok<PairingList>, ProblemHttpResult>> List(
        MoltbotConfig config, PairingStore store, OpenClawPairing openClaw, string? accountId = null)
    {
        var accounts = string.IsNullOrWhiteSpace(accountId)
            ? config.Kakao.Accounts.Select(a => a.Id)
            : [accountId.Trim().ToLowerInvariant()];
        var pending = await store.ListAsync(accounts);
        // A request approved with `openclaw pairing approve kakao` (without --notify) is over: approve it here too.
        var list = new List<PairingRequest>();
        foreach (var group in pending.GroupBy(r => r.AccountId))
        {
            var approvedInOpenClaw = await openClaw.AppliesToAsync(group.Key)
                ? await openClaw.ApprovedAsync(group.Key, group.Select(r => r.UserId).ToList())
                : [];
            foreach (var item in group)
            {
                if (approvedInOpenClaw.Contains(item.UserId, StringComparer.OrdinalIgnoreCase))
                {
                    await store.ApproveUserAsync(item.AccountId, item.UserId);
                }
                else
                {
                    list.Add(item);
                }
            }
        }
        return TypedResults.Ok(new PairingList(list));
    }

    public static async Task<Results<Ok<PairingApproval>, ProblemHttpResult>> Approve(
        PairingStore store, OpenClawPairing openClaw, ApproveRequest? body)
    {
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
        // The user is in from now on (our store is read first); OpenClaw's store follows, or says why it did not.
        var inOpenClaw = await openClaw.AppliesToAsync(approved.AccountId)
            ? await openClaw.ApproveAsync(approved.AccountId, approved.UserId)
            : null;
        return TypedResults.Ok(new PairingApproval(approved.AccountId, approved.UserId, approved.Code, inOpenClaw));
    }

    /// <summary>OpenClaw approved this user (the plugin's notifyApproval): let them in without waiting for their next message.</summary>
    public static async Task<Results<Ok<PairingApproval>, ProblemHttpResult>> Approved(
        MoltbotConfig config, PairingStore store, ApprovedRequest? body)
    {
        if (string.IsNullOrWhiteSpace(body?.UserId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing userId",
                detail: "Send {\"accountId\": \"<account>\", \"userId\": \"<Kakao user id>\"} for the user OpenClaw approved.",
                extensions: new Dictionary<string, object?> { ["field"] = "userId" });
        }
        var accountId = string.IsNullOrWhiteSpace(body.AccountId) ? config.Kakao.DefaultAccount : body.AccountId.Trim();
        if (config.Kakao.FindAccount(accountId) is not { } account)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown account",
                detail: $"No Kakao account \"{accountId}\" in channels.kakao.accounts.",
                extensions: new Dictionary<string, object?> { ["field"] = "accountId" });
        }
        await store.ApproveUserAsync(account.Id, body.UserId.Trim());
        return TypedResults.Ok(new PairingApproval(account.Id, body.UserId.Trim(), "", "approved"));
    }
}

public sealed record ApproveRequest(string? Code, string? AccountId);

public sealed record ApprovedRequest(string? AccountId, string? UserId);

public sealed record PairingList(IReadOnlyList<PairingRequest> Requests);

/// <summary><see cref="OpenClaw"/>: what OpenClaw's pairing store did (null when the account's pairing is ours alone).</summary>
public sealed record PairingApproval(string AccountId, string UserId, string Code, string? OpenClaw = null);
