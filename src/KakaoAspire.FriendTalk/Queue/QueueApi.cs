using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.FriendTalk.Queue;

/// <summary>
/// <c>GET /api/v1/queue</c> (bearer): each account's queue depth, oldest waiting message, today's dailyCap use and last
/// failure, read fresh. The webhook's status API asks it service to service; the edge does not route it.
/// </summary>
public static class QueueApi
{
    public static RouteGroupBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/queue");
        api.MapGet("", GetQueue);
        return api;
    }

    public static async Task<Results<Ok<QueueReport>, ProblemHttpResult>> GetQueue(
        HttpRequest request, GatewayToken token, QueueInspector inspector, TimeProvider time)
    {
        if (!SecretComparer.IsBearer(request.Headers.Authorization, token.Value))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong token",
                detail: "Send 'Authorization: Bearer <token>' with the gateway token.");
        }
        return TypedResults.Ok(await inspector.ReadAsync(time.GetUtcNow()));
    }
}
