namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// Choices in the config that open the gateway wider than its defaults. Each is logged as a warning at every start and
/// shown by <c>moltbot kakao status</c>, so an opt-out never goes unnoticed.
/// </summary>
public static class SecurityNotices
{
    public static IEnumerable<string> For(MoltbotConfig config)
    {
        foreach (var account in config.Kakao.EnabledAccounts)
        {
            if (account.AllowUnauthenticatedWebhook)
            {
                yield return $"{account.Id}: allowUnauthenticatedWebhook is true: anyone who can reach port {account.WebhookPort} can post " +
                             "as any Kakao user (read their history, take their held answers, run up model cost). " +
                             "Fix: remove allowUnauthenticatedWebhook; a webhook secret is then generated at the next start.";
            }
            if (account.DmPolicy == DmPolicy.Open && StrangerAgent.InGateway(config, account.Id) is { } agentId)
            {
                yield return $"{account.Id}: dmPolicy is \"open\" and strangers reach agent \"{agentId}\", which runs in your Moltbot gateway " +
                             "with that gateway's own tools (files, shell, messages). " +
                             "Fix: set dmPolicy to \"pairing\" or \"allowlist\", or bind this account to an agent without tools.";
            }
        }
    }
}
