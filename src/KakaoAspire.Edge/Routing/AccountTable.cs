using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Edge.Routing;

/// <summary>Which account a request is for, from the local port it arrived on and its path.</summary>
public sealed class AccountTable(IEnumerable<KakaoAccountConfig> enabledAccounts)
{
    private readonly IReadOnlyList<KakaoAccountConfig> _accounts = enabledAccounts.ToList();

    public IReadOnlyList<int> Ports { get; } = enabledAccounts.Select(a => a.WebhookPort).Distinct().Order().ToList();

    public KakaoAccountConfig? Match(int localPort, PathString path)
    {
        foreach (var account in _accounts)
        {
            if (account.WebhookPort == localPort
                && string.Equals(account.WebhookPath.TrimEnd('/'), path.Value?.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                return account;
            }
        }
        return null;
    }
}
