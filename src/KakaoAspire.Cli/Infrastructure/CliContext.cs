using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli;

/// <summary>What every command needs: the user's config, the state folder, the API token and where the gateway is.</summary>
public sealed class CliContext
{
    private CliContext(CliConsole console, MoltbotConfig config, string kakaoStateDirectory, Uri gatewayUrl)
    {
        Console = console;
        Config = config;
        KakaoStateDirectory = kakaoStateDirectory;
        GatewayUrl = gatewayUrl;
    }

    public CliConsole Console { get; }
    public MoltbotConfig Config { get; }
    public string KakaoStateDirectory { get; }

    /// <summary>The edge: the default account's webhookPort on this machine, unless MOLTBOT_GATEWAY_URL says otherwise.</summary>
    public Uri GatewayUrl { get; }

    public GatewayToken Token => GatewayTokenStore.Resolve(Config, KakaoStateDirectory);

    /// <summary>Loads the config or writes why it cannot be loaded (every error with its JSON path) and returns null.</summary>
    public static CliContext? Load(CliConsole console, string? configPath)
    {
        MoltbotConfig config;
        try
        {
            config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions
            {
                Path = configPath,
                Environment = console.Environment,
                HomeDirectory = console.HomeDirectory,
            });
        }
        catch (MoltbotConfigException ex)
        {
            console.Error.WriteLine($"Config error: {ex.Message}");
            return null;
        }
        var state = MoltbotPaths.KakaoStateDirectory(console.Environment, console.HomeDirectory, config.SourcePath);
        // The same generated webhook secrets the gateway reads (generated now when the gateway has not started yet).
        config = WebhookSecretStore.Apply(config, state);
        var account = config.Kakao.FindAccount(config.Kakao.DefaultAccount) ?? config.Kakao.Accounts[0];
        var url = console.Environment("MOLTBOT_GATEWAY_URL") is { Length: > 0 } explicitUrl
            ? new Uri(explicitUrl.TrimEnd('/') + "/")
            : new Uri($"http://127.0.0.1:{account.WebhookPort}/");
        return new CliContext(console, config, state, url);
    }
}
