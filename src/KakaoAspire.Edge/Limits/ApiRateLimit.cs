using System.Globalization;
using System.Threading.RateLimiting;
using KakaoAspire.Edge.Errors;
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
                IsApi(context)
                    ? RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = perMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("not-api"));
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? (int)Math.Ceiling(after.TotalSeconds)
                    : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await EdgeProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"More than {perMinute} API requests a minute from this address (channels.kakao.apiRateLimitPerMinute). Retry after {retryAfter} s.");
            };
        });
    }

    /// <summary>
    /// The limiter runs for /api requests only: for the others (every skill request) its partition would be "no limit"
    /// anyway, and skipping it saves the limiter's per-request bookkeeping (partition lookup, lease, metrics).
    /// </summary>
    public static IApplicationBuilder UseApiRateLimit(this IApplicationBuilder app) =>
        app.UseWhen(IsApi, api => api.UseRateLimiter());

    private static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api");

    /// <summary>
    /// The client address (a trusted proxy's forwarded one, see <see cref="TrustedProxies"/>), with the operator's own
    /// CLI on this machine in a partition of its own: a tunnel or proxy on loopback that forwards the internet's
    /// requests shares its address, and must not spend the operator's allowance.
    /// </summary>
    public static string PartitionKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }
        var ip = address?.ToString() ?? "unknown";
        return LocalCallers.IsLocal(context) ? $"local {ip}" : ip;
    }
}
