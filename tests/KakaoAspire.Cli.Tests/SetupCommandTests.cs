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
    public async Task Setup_reads_an_existing_json5_config_as_moltbot_users_write_it()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Home, "moltbot.json");
        await File.WriteAllTextAsync(path, "{\n  gateway: { port: 18789 },\n  channels: { kakao: { accounts: { default: { name: 'Old', }, }, }, },\n}\n");

        var run = await cli.RunAsync("kakao", "setup", "--config", path, "--non-interactive", "--port", "8799");

        Assert.Equal(0, run.ExitCode);
        var written = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal(18789, written["gateway"]!["port"]!.GetValue<int>());
        Assert.Equal("Old", written["channels"]!["kakao"]!["accounts"]!["default"]!["name"]!.GetValue<string>());
        Assert.Equal(8799, written["channels"]!["kakao"]!["accounts"]!["default"]!["webhookPort"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("--dm-policy", "everyone", "'open'|'pairing'|'allowlist'|'disabled'")]
    [InlineData("--provider", "sms", "'friendtalk-compat'|'brand-message'")]
    public async Task An_option_with_fixed_values_refuses_another_and_names_the_choices(string option, string value, string choices)
    {
        using var cli = new CliRunner();

        var run = await cli.RunAsync("kakao", "setup", "--non-interactive", option, value);

        Assert.Equal(ExitCodes.InvalidInput, run.ExitCode);
        Assert.Contains($"'{value}' not recognized", run.Error);
        Assert.All(choices.Split('|'), choice => Assert.Contains(choice, run.Error));
        Assert.False(File.Exists(Path.Combine(cli.Home, ".moltbot.json")));
    }

    [Fact]
    public async Task Setup_writes_the_phone_provider_given_as_a_flag()
    {
        using var cli = new CliRunner();

        var run = await cli.RunAsync("kakao", "setup", "--non-interactive", "--provider", "brand-message");

        Assert.Equal(0, run.ExitCode);
        var config = MoltbotConfigLoader.Load(new MoltbotConfigLoadOptions { Path = Path.Combine(cli.Home, ".moltbot.json"), Environment = _ => null, HomeDirectory = cli.Home });
        Assert.Equal(PhoneProvider.BrandMessage, config.Kakao.FindAccount("default")!.Outbound.PhoneProvider);
    }

    [Theory]
    [InlineData("kakao setup --dm-policy ", "allowlist", "open")]
    [InlineData("kakao setup --provider ", "brand-message", "friendtalk-compat")]
    [InlineData("pairing list ", "kakao", null)]
    public async Task Fixed_values_complete_in_the_shell(string line, string expected, string? alsoExpected)
    {
        using var cli = new CliRunner();

        // What dotnet-suggest asks the app when Tab is pressed at the end of the line.
        var run = await cli.RunAsync($"[suggest:{line.Length + "moltbot ".Length}]", "moltbot " + line);

        Assert.Equal(0, run.ExitCode);
        var suggestions = run.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(expected, suggestions);
        if (alsoExpected is not null)
        {
            Assert.Contains(alsoExpected, suggestions);
        }
    }

    [Fact]
    public async Task Account_ids_complete_from_the_config_file()
    {
        using var cli = new CliRunner();
        var path = Path.Combine(cli.Home, "moltbot.json");
        await File.WriteAllTextAsync(path, "{ channels: { kakao: { accounts: { shop: {}, support: { webhookPath: '/kakao/support' } } } } }");

        var line = $"moltbot kakao send --config {path} --account ";
        var run = await cli.RunAsync($"[suggest:{line.Length}]", line);

        var suggestions = run.Out.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("shop", suggestions);
        Assert.Contains("support", suggestions);
    }
}
