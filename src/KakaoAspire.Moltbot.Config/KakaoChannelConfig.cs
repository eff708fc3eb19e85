using System.Net;

namespace KakaoAspire.Moltbot.Config;

/// <summary><c>channels.kakao</c> after merging: channel-wide settings and every account (disabled ones too).</summary>
public sealed record KakaoChannelConfig
{
    public string DefaultAccount { get; init; } = KakaoAccountConfig.DefaultId;

    /// <summary>Per client IP, /api/* only.</summary>
    public int ApiRateLimitPerMinute { get; init; } = 120;

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> the edge believes. Empty: the client
    /// address is the connection's, and a forwarded header from anyone is ignored.
    /// </summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    public MoltbotGatewaySection MoltbotGateway { get; init; } = new();

    /// <summary>Sorted by id; includes disabled accounts.</summary>
    public IReadOnlyList<KakaoAccountConfig> Accounts { get; init; } = [new KakaoAccountConfig { Id = KakaoAccountConfig.DefaultId }];

    public IEnumerable<KakaoAccountConfig> EnabledAccounts => Accounts.Where(a => a.Enabled);

    public KakaoAccountConfig? FindAccount(string id)
    {
        var wanted = id.Trim();
        return Accounts.FirstOrDefault(a => string.Equals(a.Id, wanted, StringComparison.OrdinalIgnoreCase));
    }

    public override string ToString() =>
        $"KakaoChannelConfig {{ DefaultAccount = {DefaultAccount}, ApiRateLimitPerMinute = {ApiRateLimitPerMinute}, " +
        $"TrustedProxies = [{string.Join(", ", TrustedProxies)}], " +
        $"MoltbotGateway = {MoltbotGateway}, Accounts = [{string.Join(", ", Accounts)}] }}";
}
