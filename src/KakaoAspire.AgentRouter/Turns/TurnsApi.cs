using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>The router's one internal endpoint: answer a turn (called by the webhook, never public).</summary>
public static class TurnsApi
{
    public static RouteGroupBuilder MapTurnsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/turns");
        api.MapPost("/", RunTurn);
        return api;
    }

    public static async Task<Results<Ok<TurnResponse>, ValidationProblem>> RunTurn(
        TurnRequest request, TurnRunner runner, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.TurnId) || string.IsNullOrWhiteSpace(request.UserId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["turnId/userId"] = ["A turn needs its turnId and the user's id."],
            });
        }
        return TypedResults.Ok(await runner.RunAsync(request, cancellationToken));
    }
}
