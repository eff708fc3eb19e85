
namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMoltbotConfig();
        builder.AddRedisClient("redis");

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<BuiltinAgent>();
        builder.Services.AddSingleton<TurnRunner>();
    }
}
