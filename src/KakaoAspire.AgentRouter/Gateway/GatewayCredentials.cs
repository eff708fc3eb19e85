using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// What we sign in with: the shared gateway token (may be null) and our device identity (null when the state folder
/// cannot hold one). <see cref="GatewayKey"/> names the gateway the device token was issued by.
/// </summary>
internal sealed record GatewayCredentials(string? Token, OpenClawDeviceIdentity? Device, string GatewayKey)
{
    public override string ToString() => $"GatewayCredentials {{ Token = {(string.IsNullOrEmpty(Token) ? "(none)" : "***")}, Device = {Device?.DeviceId}, GatewayKey = {GatewayKey} }}";
}
