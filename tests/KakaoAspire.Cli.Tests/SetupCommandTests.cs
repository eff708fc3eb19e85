using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Tests;

public sealed class SetupCommandTests
{
    [Fact]
    public async Task SetupFromFlagsWritesAValidOwnerOnlyConfigAndPrintsTheOpenBuilderSteps()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Home, ".moltbot.json");

        var run = await cli.RunAsync("kakao", "setup", "--non-interactive", "--admin-key", "rest-key-1", "--port", "9001",
            "--path", "/kakao/bot", "--secret-header", "X-My-Secret", "--secret", "s3cr3t-value", "--dm-policy", "pairing");

        Assert.Equal(0, run.ExitCode);
        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions { Path = path, Environment = _ => null, HomeDirectory = cli.Home });
        var account = config.Kakao.FindAccount("default")!;
        Assert.Equal(9001, account.WebhookPort);
        Assert.Equal("/kakao/bot", account.WebhookPath);
        Assert.Equal(DmPolicy.Pairing, account.DmPolicy);
        Assert.Equal("X-My-Secret", account.WebhookSecretHeader);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Contains("http://<your-server>:9001/kakao/bot", run.Out);
        // The one place a secret is shown: the value the user must paste into Open Builder.
        Assert.Contains("X-My-Secret, value s3cr3t-value", run.Out);
        Assert.DoesNotContain("rest-key-1", run.All);
    }

    [Fact]
    public async Task SetupEditsOnlyChannelsKakaoOfAnExistingConfigAndKeepsABackup()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Home, "moltbot.json");
        const string original = """
            {
              // Moltbot's own sections stay as they are
              "gateway": { "port": 18789, "auth": { "token": "tok" } },
              "models": { "providers": { "anthropic": { "apiKey": "x" } } },
              "channels": { "telegram": { "botToken": "t" }, "kakao": { "accounts": { "default": { "webhookPort": 8788, "name": "Old" } } } },
            }
            """;
        await File.WriteAllTextAsync(path, original);

        var run = await cli.RunAsync("kakao", "setup", "--config", path, "--non-interactive", "--name", "새 이름", "--dm-policy", "allowlist",
            "--allow-from", "user-1", "user-2");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(original, await File.ReadAllTextAsync(path + ".bak"));
        var written = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal(18789, written["gateway"]!["port"]!.GetValue<int>());
        Assert.Equal("x", written["models"]!["providers"]!["anthropic"]!["apiKey"]!.GetValue<string>());
        Assert.Equal("t", written["channels"]!["telegram"]!["botToken"]!.GetValue<string>());
        var account = written["channels"]!["kakao"]!["accounts"]!["default"]!;
        Assert.Equal("새 이름", account["name"]!.GetValue<string>());
        Assert.Equal(8788, account["webhookPort"]!.GetValue<int>());
        Assert.Equal(["user-1", "user-2"], account["allowFrom"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task A_world_readable_config_its_backup_and_the_recorded_AppHost_path_all_end_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Home, "moltbot.json");
        await File.WriteAllTextAsync(path, """{ "channels": { "kakao": { "webhookSecret": "old-secret" } } }""");
        await File.WriteAllTextAsync(path + ".bak", "{}");
        const UnixFileMode worldReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(path, worldReadable);
        File.SetUnixFileMode(path + ".bak", worldReadable);
        var appHost = Path.Combine(cli.Home, "KakaoAspire.AppHost");
        Directory.CreateDirectory(appHost);
        await File.WriteAllTextAsync(Path.Combine(appHost, "KakaoAspire.AppHost.csproj"), "<Project />");

        var run = await cli.RunAsync("kakao", "setup", "--config", path, "--non-interactive", "--name", "봇");

        Assert.Equal(0, run.ExitCode);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(path));
        Assert.Contains("old-secret", await File.ReadAllTextAsync(path + ".bak"));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(path + ".bak"));
        var kakaoState = Path.Combine(cli.StateDirectory, "kakao");
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(kakaoState, "apphost-path")));
        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(kakaoState));
    }

    [Fact]
    public async Task SetupRefusesToWriteAConfigThatWouldBeInvalid()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Home, ".moltbot.json");

        var run = await cli.RunAsync("kakao", "setup", "--config", path, "--non-interactive", "--dm-policy", "allowlist");

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains("allowFrom", run.Error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task TheInteractiveWizardAsksForEachValueAndKeepsWhatIsLeftEmpty()
    {
        using var cli = new CliRunner();
        // name, adminKey, channelId, botId, senderKey, toastAppKey, toastSecretKey, port, path, header, secret, dmPolicy
        var answers = string.Join("\n", "내 봇", "", "", "", "", "", "", "8790", "", "", "", "open") + "\n";

        var run = await cli.RunWithInputAsync(answers, "kakao", "setup");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Webhook port", run.Out);
        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions
        {
            Path = Path.Combine(cli.Home, ".moltbot.json"), Environment = _ => null, HomeDirectory = cli.Home,
        });
        Assert.Equal("내 봇", config.Kakao.FindAccount("default")!.Name);
        Assert.Equal(8790, config.Kakao.FindAccount("default")!.WebhookPort);
    }
}
