using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// The router's internal endpoints (called by the webhook, never public): answer a turn, fetch its answer, and forget it
/// once the user has it. The answers live in the router's own Redis keys; the webhook only ever asks here.
/// </summary>
public static class TurnsApi
{
    /// <summary>Turn ids one <see cref="InternalPaths.DeliveredTurns"/> call may name: one DEL of a bounded size.</summary>
    public const int MaxDeliveredTurns = 1_000;

    public static RouteGroupBuilder MapTurnsApi(this IEndpointRouteBuilder app)
    {
        // Never routed by the edge; the gateway token as well, so reaching the port is not enough to run turns as any user.
        var api = app.MapGroup(InternalPaths.Turns).RequireGatewayToken();
        api.MapPost("/", RunTurn);
        api.MapGet("/{turnId}", GetTurn);
        api.MapDelete("/{turnId}", ForgetTurn);
        // The contract's path, relative to this group ("/delivered").
        api.MapPost(InternalPaths.DeliveredTurns[InternalPaths.Turns.Length..], ForgetDeliveredTurns);
        return api;
    }

    /// <summary>
    /// Runs the turn, or returns the stored answer when the turn id was seen before. The turn does not follow the
    /// caller's cancellation: the webhook stops waiting at its reply deadline, and the answer is held for it.
    /// </summary>
    public static async Task<Results<Ok<TurnResponse>, Accepted, ValidationProblem>> RunTurn(TurnRequest request, TurnRunner runner)
    {
        if (string.IsNullOrWhiteSpace(request.TurnId) || string.IsNullOrWhiteSpace(request.UserId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["turnId/userId"] = ["A turn needs its turnId and the user's id."],
            });
        }
        return await runner.RunAsync(request) is { } answer
            ? TypedResults.Ok(answer)
            : TypedResults.Accepted(InternalPaths.Turn(request.TurnId));
    }

    /// <summary>200 with the answer, 202 while the turn is queued or running, 404 for a turn never seen (or expired).</summary>
    public static async Task<Results<Ok<TurnResponse>, Accepted, NotFound>> GetTurn(string turnId, TurnAnswerStore answers)
    {
        if (await answers.FindAsync(turnId) is { } answer)
        {
            return TypedResults.Ok(answer);
        }
        return await answers.IsRunningAsync(turnId)
            ? TypedResults.Accepted(InternalPaths.Turn(turnId))
            : TypedResults.NotFound();
    }

    /// <summary>
    /// The webhook delivered the answer to the user: it goes, so a late copy of the request finds nothing to show twice.
    /// 204 whether or not it was still stored (forgetting twice is harmless).
    /// </summary>
    public static async Task<NoContent> ForgetTurn(string turnId, TurnAnswerStore answers)
    {
        await answers.ForgetAsync(turnId);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The webhook delivered these answers: they go in one Redis command, so a busy webhook that gathers its deliveries
    /// costs one call for many turns. 204 whether or not they were still stored. The older one-turn DELETE stays for
    /// webhooks that still use it.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> ForgetDeliveredTurns(DeliveredTurns delivered, TurnAnswerStore answers)
    {
        if (delivered.TurnIds is not { } turnIds || turnIds.Count > MaxDeliveredTurns || turnIds.Any(string.IsNullOrWhiteSpace))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["turnIds"] = [$"turnIds is a list of 0 to {MaxDeliveredTurns} turn ids, none of them empty."],
            });
        }
        if (turnIds.Count > 0)
        {
            await answers.ForgetAsync(turnIds);
        }
        return TypedResults.NoContent();
    }
}
