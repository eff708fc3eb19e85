using KakaoAspire.Edge.Limits;
using KakaoAspire.Edge.Routing;
using KakaoAspire.Moltbot.Config;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static MoltbotConfig AddEdgeServices(this WebApplicationBuilder builder)
    {
        var config = builder.AddMoltbotConfig();
        var accounts = new AccountTable(config.Kakao.EnabledAccounts);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(accounts);

        var limits = builder.Configuration.GetSection(EdgeKestrelLimits.Section).Get<EdgeKestrelLimits>() ?? new EdgeKestrelLimits();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            limits.ApplyTo(kestrel.Limits);
            // Kakao must reach http://your-server:<webhookPort>: listen on every interface, on each account's port.
            // Tests and local runs may also give extra URLs (ASPNETCORE_URLS) for health probes; those stay as set.
            foreach (var port in accounts.Ports)
            {
                kestrel.ListenAnyIP(port);
            }
        });

        builder.Services.AddProblemDetails();
        builder.Services.AddTrustedProxies(config.Kakao);
        builder.Services.AddApiRateLimit(config.Kakao.ApiRateLimitPerMinute);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(ProxyRoutes.Routes(builder.Environment.IsDevelopment()), ProxyRoutes.Clusters())
            .AddServiceDiscoveryDestinationResolver();
        return config;
    }
}
