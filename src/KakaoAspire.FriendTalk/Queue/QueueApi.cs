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
        var api = app.MapGroup("/api/v1/queue").RequireGatewayToken();
        api.MapGet("", GetQueue);
        return api;
    }

    public static async Task<Ok<QueueReport>> GetQueue(QueueInspector inspector, TimeProvider time) =>
        TypedResults.Ok(await inspector.ReadAsync(time.GetUtcNow()));
}
