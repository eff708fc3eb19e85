using KakaoAspire.Edge.Errors;

namespace KakaoAspire.Edge.Routing;

/// <summary>
/// The simulator (it posts as any user, past the webhook secret) is routed only in Development and only for a caller on
/// this machine; to anyone else, and always in Production, it does not exist.
/// </summary>
public static class DevelopmentRoutes
{
    public const string SimulatorPrefix = "/simulator";

    public static IApplicationBuilder UseDevelopmentRoutesForLocalCallersOnly(this IApplicationBuilder app, IHostEnvironment environment) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(SimulatorPrefix)
                && !(environment.IsDevelopment() && LocalCallers.IsLocal(context)))
            {
                await EdgeProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "There is no such route.");
                return;
            }
            await next(context);
        });
}
