using KakaoAspire.Edge.Limits;
using KakaoAspire.Edge.Routing;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static MoltbotConfig AddEdgeServices(this WebApplicationBuilder builder)
    {
        var config = builder.AddMoltbotConfig();
        var accounts = new AccountTable(config.Kakao.EnabledAccounts);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(accounts);

        builder.Services.AddOptions<EdgeKestrelLimits>().BindConfiguration(EdgeKestrelLimits.Section)
            .Validate(o => o.MaxConnections >= 1, $"{EdgeKestrelLimits.Section}:MaxConnections must be at least 1; remove it for the default of 1000.")
            .Validate(o => o.RequestHeadersTimeout > TimeSpan.Zero, $"{EdgeKestrelLimits.Section}:RequestHeadersTimeout must be positive, such as 00:00:05.")
            .Validate(o => o.MaxRequestHeadersTotalSize >= 1024 && o.MaxRequestHeaderCount >= 8 && o.MaxRequestLineSize >= 1024,
                $"{EdgeKestrelLimits.Section}:MaxRequestHeadersTotalSize and MaxRequestLineSize must be at least 1024 and MaxRequestHeaderCount at least 8.")
            .ValidateOnStart();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Read through the options, so a wrong value stops the start with the message above.
            kestrel.ApplicationServices.GetRequiredService<IOptions<EdgeKestrelLimits>>().Value.ApplyTo(kestrel.Limits);
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
