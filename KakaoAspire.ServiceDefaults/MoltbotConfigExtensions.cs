using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Every service reads the same Moltbot config file and state folder the AppHost chose.</summary>
public static class MoltbotConfigExtensions
{
    /// <summary>
    /// Loads the Moltbot config (MOLTBOT_CONFIG_PATH, set by the AppHost, else the usual lookup including OpenClaw's names) once, failing the
    /// start with every validation message, and registers it with the gateway API token.
    /// </summary>
    public static MoltbotConfig AddMoltbotConfig(this IHostApplicationBuilder builder)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? Env(string name) => builder.Configuration[name] ?? Environment.GetEnvironmentVariable(name);
        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions
        {
            Path = Env(MoltbotPaths.ConfigPathVariable),
            Environment = Env,
            HomeDirectory = home,
        });
        var kakaoState = MoltbotPaths.KakaoStateDirectory(Env, home, config.SourcePath);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(_ => GatewayTokenStore.Resolve(config, kakaoState));
        return config;
    }
}
