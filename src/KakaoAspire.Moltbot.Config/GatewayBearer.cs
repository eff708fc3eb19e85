using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one bearer check of our <c>/api/v1/*</c> groups (and the router's internal turns): the gateway token
/// (<c>gateway.auth.token</c>, or the generated one), compared in constant time. The presented value is never logged or
/// echoed; a refusal says where the token is configured, never what it is.
/// </summary>
public static class GatewayBearer
{
    public const string UnauthorizedTitle = "Missing or wrong bearer token";

    public const string UnauthorizedDetail =
        "Send 'Authorization: Bearer <token>' with gateway.auth.token from the Moltbot config, or the generated token in " +
        "~/.moltbot/kakao/gateway-token (`moltbot kakao status` shows where it is).";

    /// <summary>Every endpoint of the group answers 401 (Problem Details, <c>WWW-Authenticate: Bearer</c>) without the gateway token.</summary>
    public static TBuilder RequireGatewayToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var token = context.HttpContext.RequestServices.GetRequiredService<GatewayToken>();
            if (SecretComparer.IsBearer(context.HttpContext.Request.Headers.Authorization.ToString(), token.Value))
            {
                return await next(context);
            }
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Unauthorized();
        });

    public static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: UnauthorizedTitle, detail: UnauthorizedDetail);
}
