using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace KakaoAspire.Edge.Limits;

public static class ApiRateLimit
{
    /// <summary>
    /// A per-client-IP limit of <paramref name="perMinute"/> requests on /api/* only. Webhook paths are never
    /// limited by IP: every Kakao call comes from Kakao's own servers, so an IP limit would throttle all users.
    /// </summary>
    public static IServiceCollection AddApiRateLimit(this IServiceCollection services, int perMinute)
    {
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!context.Request.Path.StartsWithSegments("/api"))
                {
                    return RateLimitPartition.GetNoLimiter("not-api");
                }
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? (int)Math.Ceiling(after.TotalSeconds)
                    : 60;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.Response.WriteAsJsonAsync(new
                {
                    title = "Too many requests",
                    status = 429,
                    detail = $"More than {perMinute} API requests a minute from this address (channels.kakao.apiRateLimitPerMinute). Retry after {retryAfter} s.",
                }, cancellationToken);
            };
        });
    }
}
