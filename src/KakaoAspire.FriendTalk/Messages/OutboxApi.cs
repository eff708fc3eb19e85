using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// <c>GET /api/v1/outbox</c> (bearer, Development only): the newest accepted messages, for the webhook's local simulator.
/// The edge does not route it; the simulator asks service to service, so friendtalk's Redis keys stay its own.
/// </summary>
public static class OutboxApi
{
    public const int MaxItems = 50;

    public static RouteGroupBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/outbox").RequireGatewayToken();
        api.MapGet("", GetOutbox);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<OutboxItem>>> GetOutbox(OutboundMessageStore store) =>
        TypedResults.Ok(await store.ListRecentAsync(MaxItems));
}
