using System.Text;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Every service reads the same Moltbot config file and state folder the AppHost chose.</summary>
public static class MoltbotConfigExtensions
{
    /// <summary>
    /// Loads the Moltbot config once, failing the start with every validation message, and registers it with the gateway
    /// API token. Where it comes from: <c>MOLTBOT_CONFIG_JSON</c> (a deployment: the file's text as a secret), else
    /// <c>MOLTBOT_CONFIG_PATH</c> (set by the AppHost), else the usual lookup (including OpenClaw's names). Accounts without a
    /// webhookSecret get the one generated into the state folder (the AppHost generates it before any service starts);
    /// a deployed config must carry its own, since every container has a state folder of its own. The token: <c>gateway.auth.token</c>, else
    /// <c>MOLTBOT_GATEWAY_TOKEN</c> (a deployment, where each container's state folder is its own), else the state folder's.
    /// </summary>
    public static MoltbotConfig AddMoltbotConfig(this IHostApplicationBuilder builder)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? Env(string name) => builder.Configuration[name] ?? Environment.GetEnvironmentVariable(name);
        var inline = Env(MoltbotPaths.ConfigJsonVariable);
        var loaded = !string.IsNullOrWhiteSpace(inline)
            ? MoltbotConfigLoader.Parse(DecodeConfigJson(inline), "$" + MoltbotPaths.ConfigJsonVariable, Env)
            : MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions
            {
                Path = Env(MoltbotPaths.ConfigPathVariable),
                Environment = Env,
                HomeDirectory = home,
            });
        var kakaoState = MoltbotPaths.KakaoStateDirectory(Env, home, loaded.SourcePath);
        var config = !string.IsNullOrWhiteSpace(inline) ? RequireWebhookSecrets(loaded) : WebhookSecretStore.Apply(loaded, kakaoState);
        var tokenFromEnvironment = Env(MoltbotPaths.GatewayTokenVariable);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(_ =>
            string.IsNullOrWhiteSpace(config.Gateway.AuthToken) && !string.IsNullOrWhiteSpace(tokenFromEnvironment)
                ? new GatewayToken(tokenFromEnvironment.Trim(), GatewayToken.FromEnvironment, null)
                : GatewayTokenStore.Resolve(config, kakaoState));
        return config;
    }

    /// <summary>The config's text: JSON as is, or base64 of it (a one-line form for prompts and CI secrets).</summary>
    public static string DecodeConfigJson(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('{'))
        {
            return trimmed;
        }
        var buffer = new byte[trimmed.Length];
        if (Convert.TryFromBase64String(trimmed, buffer, out var length))
        {
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        throw new MoltbotConfigException(
            [new ConfigError("$" + MoltbotPaths.ConfigJsonVariable,
                "is neither JSON (starting with '{') nor base64 of it; set it to the config file's text, e.g. 'base64 -w0 ~/.moltbot.json'")],
            null);
    }

    /// <summary>
    /// A deployed config (<c>MOLTBOT_CONFIG_JSON</c>) must name each enabled account's webhookSecret: a secret generated
    /// in one container's throwaway state folder would differ per replica, and Kakao would be refused at random.
    /// </summary>
    public static MoltbotConfig RequireWebhookSecrets(MoltbotConfig config)
    {
        var missing = config.Kakao.Accounts
            .Where(a => a.Enabled && !a.AllowUnauthenticatedWebhook && a.WebhookSecret is null)
            .Select(a => new ConfigError($"channels.kakao.accounts.{a.Id}.webhookSecret",
                "is required in a deployed config (each container's state folder is its own, so none can be generated); " +
                "run 'moltbot kakao setup --generate-secret', paste the same value into Open Builder, and set the moltbot-config secret again"))
            .ToList();
        return missing.Count == 0 ? config : throw new MoltbotConfigException(missing, null);
    }
}
