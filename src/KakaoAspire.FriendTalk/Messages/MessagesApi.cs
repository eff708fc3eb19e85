using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>The outbound API (Moltbot's <c>send</c> as HTTP), behind the gateway token.</summary>
public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/messages");
        api.MapGet("/{id}", GetMessage);
        return api;
    }

    public static async Task<Results<Ok<Dictionary<string, string>>, ProblemHttpResult>> GetMessage(
        string id, HttpRequest request, GatewayToken token, IConnectionMultiplexer redis)
    {
        if (!SecretComparer.IsBearer(request.Headers.Authorization, token.Value))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong token",
                detail: "Send 'Authorization: Bearer <token>' with gateway.auth.token, or the generated token in ~/.moltbot/kakao/gateway-token.");
        }
        var fields = await redis.GetDatabase().HashGetAllAsync(RedisKeys.OutboundMessage(id));
        if (fields.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such message",
                detail: $"No outbound message has the id '{id}'.");
        }
        return TypedResults.Ok(fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString()));
    }
}
