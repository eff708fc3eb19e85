using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.HttpOverrides;

namespace KakaoAspire.Edge.Limits;

/// <summary>
/// The client address from <c>X-Forwarded-For</c>, only when the connection comes from a proxy listed in
/// <c>channels.kakao.trustedProxies</c>. ASP.NET's defaults would trust loopback; here nothing is trusted unless listed,
/// so no caller can pick the address the rate limit and the development-route check see.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, KakaoChannelConfig kakao) =>
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in kakao.TrustedProxies)
            {
                options.KnownIPNetworks.Add(network);
            }
            // A chain of trusted proxies is walked back until the first address that is not one of them.
            options.ForwardLimit = null;
        });

    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app, KakaoChannelConfig kakao) =>
        kakao.TrustedProxies.Count > 0 ? app.UseForwardedHeaders() : app;
}
