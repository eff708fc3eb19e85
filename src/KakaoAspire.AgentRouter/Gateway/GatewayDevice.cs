using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// The router's OpenClaw device identity, in the Kakao state folder beside the config file (the same one
/// <c>moltbot kakao status --probe</c> uses). Made on first need; without a writable state folder there is none,
/// and only a gateway on loopback (where the token is enough) will let us run agents.
/// </summary>
public sealed class GatewayDevice
{
    private readonly Lazy<OpenClawDeviceIdentity?> _identity;

    public GatewayDevice(MoltbotConfig config, IConfiguration configuration, ILogger<GatewayDevice> logger)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? Env(string name) => configuration[name] ?? Environment.GetEnvironmentVariable(name);
        var state = MoltbotPaths.KakaoStateDirectory(Env, home, config.SourcePath);
        _identity = new Lazy<OpenClawDeviceIdentity?>(() =>
        {
            try
            {
                var identity = OpenClawDeviceIdentity.LoadOrCreate(state);
                logger.LogInformation("OpenClaw device identity {DeviceId} ({DeviceFile})", identity.DeviceId, identity.FilePath);
                return identity;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                logger.LogWarning("No OpenClaw device identity ({Error}); a gateway on another host will refuse our runs", ex.Message);
                return null;
            }
        });
    }

    internal OpenClawDeviceIdentity? Identity => _identity.Value;
}
