using KakaoAspire.Webhook.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The webhook in-process against a real Redis, a fake agent-router and a temp Moltbot config.</summary>
public sealed class WebhookFactory(string redis, string routerUrl, string configPath, string stateDir, string environment,
    TimeSpan? stillThinkingAfter = null, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>Every log record the webhook writes (all levels), to check what it says and that no secret reaches a log.</summary>
    public FakeLogCollector Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(Logs));
            services.AddTransient<IStartupFilter, LoopbackConnection>();
        });
        builder.UseEnvironment(environment);
        builder.UseSetting("ConnectionStrings:redis", redis);
        builder.UseSetting("MOLTBOT_CONFIG_PATH", configPath);
        builder.UseSetting("MOLTBOT_STATE_DIR", stateDir);
        builder.UseSetting("services:agent-router:http:0", routerUrl);
        builder.UseSetting("Callbacks:StillThinkingAfter", (stillThinkingAfter ?? TimeSpan.FromSeconds(50)).ToString());
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>The in-memory test server leaves the remote address empty; its callers are this machine, as over loopback.</summary>
internal sealed class LoopbackConnection : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress ??= System.Net.IPAddress.Loopback;
            return nextMiddleware(context);
        });
        next(app);
    };
}
