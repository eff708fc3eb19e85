using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.Webhook.Status;

/// <summary>The bearer check of our /api/v1/* routes: the gateway token, compared in constant time.</summary>
public static class ApiAuth
{
    public static bool IsAuthorized(HttpRequest request, GatewayToken token) =>
        SecretComparer.IsBearer(request.Headers.Authorization.ToString(), token.Value);

    public static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Missing or wrong bearer token",
            detail: "Send Authorization: Bearer <gateway.auth.token>; `moltbot kakao status` says where the generated token lives.");
}
