namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>The skill webhook is authenticated by default: a secret per account, generated once, owner-only.</summary>
public class WebhookSecretStoreTests
{
    [Fact]
    public void The_guides_quick_start_gets_a_generated_secret_that_is_stable_across_starts_and_owner_only()
    {
        using var home = new TempHome();
        var state = Path.Combine(home.Path, ".moltbot", "kakao");
        var config = TestConfig.Parse(TestConfig.Fixture("config-seed-quickstart.json"));

        var first = WebhookSecretStore.Apply(config, state).Kakao.Accounts.Single();
        var second = WebhookSecretStore.Apply(config, state).Kakao.Accounts.Single();

        Assert.Null(config.Kakao.Accounts.Single().WebhookSecret);
        Assert.Equal("pending", config.Kakao.Accounts.Single().WebhookSecretSource);
        Assert.Equal("generated", first.WebhookSecretSource);
        Assert.Equal(Path.Combine(state, "webhook-secret-default"), first.WebhookSecretFile);
        Assert.Equal(first.WebhookSecret, second.WebhookSecret);
        Assert.Equal(first.WebhookSecret, File.ReadAllText(first.WebhookSecretFile!).Trim());
        Assert.True(first.WebhookSecret!.Length >= 40);
        Assert.DoesNotContain(first.WebhookSecret, first.ToString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.WebhookSecretFile!));
        }
    }

    [Fact]
    public void Each_account_gets_its_own_secret_and_a_configured_one_is_kept_and_nothing_written_for_it()
    {
        using var home = new TempHome();
        var state = Path.Combine(home.Path, "kakao");
        var config = TestConfig.Parse("""
            { "channels": { "kakao": { "accounts": {
                "a": { "webhookPort": 9001 },
                "b": { "webhookPort": 9002 },
                "c": { "webhookPort": 9003, "webhookSecret": "from-config" },
                "d": { "webhookPort": 9004, "enabled": false }
            } } } }
            """);

        var accounts = WebhookSecretStore.Apply(config, state).Kakao.Accounts.ToDictionary(a => a.Id);

        Assert.NotEqual(accounts["a"].WebhookSecret, accounts["b"].WebhookSecret);
        Assert.Equal(("from-config", "config", (string?)null), (accounts["c"].WebhookSecret, accounts["c"].WebhookSecretSource, accounts["c"].WebhookSecretFile));
        Assert.Null(accounts["d"].WebhookSecret);
        Assert.Equal(["webhook-secret-a", "webhook-secret-b"], Directory.GetFiles(state).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_secret_file_someone_widened_is_made_owner_only_again()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var home = new TempHome();
        var state = Path.Combine(home.Path, "kakao");
        var config = TestConfig.Parse("{}");
        var path = WebhookSecretStore.Apply(config, state).Kakao.Accounts.Single().WebhookSecretFile!;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        WebhookSecretStore.Apply(config, state);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void An_account_that_opts_out_gets_no_secret_and_a_notice()
    {
        using var home = new TempHome();
        var state = Path.Combine(home.Path, "kakao");
        var config = WebhookSecretStore.Apply(TestConfig.Parse(TestConfig.Account("\"allowUnauthenticatedWebhook\": true")), state);

        var account = config.Kakao.Accounts.Single();
        Assert.Null(account.WebhookSecret);
        Assert.Equal("none", account.WebhookSecretSource);
        Assert.False(Directory.Exists(state) && Directory.GetFiles(state).Length > 0);
        Assert.Contains(SecurityNotices.For(config), n => n.StartsWith("default: allowUnauthenticatedWebhook is true", StringComparison.Ordinal));
    }
}
