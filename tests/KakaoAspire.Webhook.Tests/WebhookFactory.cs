using KakaoAspire.Webhook.Tests.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The webhook in-process against a real Redis, a fake agent-router and a temp Moltbot config.</summary>
public sealed class WebhookFactory(string redis, string routerUrl, string configPath, string stateDir, string environment,
    TimeSpan? stillThinkingAfter = null, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
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
