namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// The skill webhook is authenticated by default: an enabled account without <c>webhookSecret</c> (and without the
/// explicit <c>allowUnauthenticatedWebhook</c> opt-out) gets one generated on first start into the Kakao state folder,
/// one owner-only file per account, which every service and the CLI then read.
/// </summary>
public static class WebhookSecretStore
{
    public const string FilePrefix = "webhook-secret-";

    /// <summary>The file an account's generated secret lives in (account ids are a-z, 0-9, "_" and "-").</summary>
    public static string FilePath(string kakaoStateDirectory, string accountId) =>
        Path.Combine(kakaoStateDirectory, FilePrefix + accountId);

    /// <summary>What the start log says for an account: where the value is to be read, never the value.</summary>
    public const string StartLogTemplate =
        "Webhook secret for account {AccountId} is required: in Open Builder, 스킬 → your skill → 헤더값 입력, add the header " +
        "{HeaderName} with the value from {SecretLocation} (or run 'moltbot kakao status --show-secret')";

    /// <summary>Where an account's secret is to be read: its file, or the config key.</summary>
    public static string Location(KakaoAccountConfig account) =>
        account.WebhookSecretFile ?? $"webhookSecret of account {account.Id} in the config";

    /// <summary>The config with every enabled account's secret filled in, generating those still missing.</summary>
    public static MoltbotConfig Apply(MoltbotConfig config, string kakaoStateDirectory)
    {
        var accounts = config.Kakao.Accounts.Select(account =>
        {
            if (!account.Enabled || account.AllowUnauthenticatedWebhook || account.WebhookSecret is not null)
            {
                return account;
            }
            var path = FilePath(kakaoStateDirectory, account.Id);
            return account with { WebhookSecret = OwnerOnlySecretFile.ReadOrCreate(kakaoStateDirectory, path), WebhookSecretFile = path };
        }).ToList();

        return config with { Kakao = config.Kakao with { Accounts = accounts } };
    }
}
