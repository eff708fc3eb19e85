namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMoltbotConfig();
        builder.AddRedisClient("redis");
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);

        // The router answers within the account's deadline or the webhook answers for it; no retries here,
        // since a retried turn would run the agent twice.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way.
        builder.Services.AddHttpClient<AgentRouterClient>(client => client.BaseAddress = new("http://agent-router"))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
