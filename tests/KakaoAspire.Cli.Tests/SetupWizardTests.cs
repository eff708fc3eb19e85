using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;
using Spectre.Console.Testing;

namespace KakaoAspire.Cli.Tests;

/// <summary><c>moltbot kakao setup</c> in a terminal, typed into a Spectre TestConsole key by key.</summary>
public sealed class SetupWizardTests
{
    private sealed record WizardRun(int ExitCode, string Out, string Error, string Screen);

    private static async Task<WizardRun> RunAsync(CliRunner cli, TestConsole terminal, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, new StringReader(""), IsInteractive: true)
        {
            Environment = name => name == "MOLTBOT_STATE_DIR" ? cli.StateDirectory : null,
            HomeDirectory = cli.Home,
            WorkingDirectory = cli.Home,
            Prompts = terminal,
        };
        var code = await CliApp.RunAsync(args, console).WaitAsync(TimeSpan.FromSeconds(60));
        return new WizardRun(code, output.ToString(), error.ToString(), terminal.Output);
    }

    private static TestConsole Terminal() => new TestConsole().Interactive().Width(160);

    private static JsonNode Account(CliRunner cli) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(cli.Home, ".moltbot.json")))!["channels"]!["kakao"]!["accounts"]!["default"]!;

    [Fact]
    public async Task The_wizard_writes_env_references_checks_the_port_as_typed_and_asks_allowFrom_for_an_allowlist()
    {
        using var cli = new CliRunner();
        var terminal = Terminal();
        // TestConsole types ASCII keys only; a real terminal takes Hangul as well.
        terminal.Input.PushTextWithEnter("My bot");
        terminal.Input.PushKey(ConsoleKey.Spacebar);          // which keys: adminKey
        terminal.Input.PushKey(ConsoleKey.Enter);
        terminal.Input.PushKey(ConsoleKey.Enter);             // written as ${ENV} references
        terminal.Input.PushKey(ConsoleKey.Enter);             // the suggested KAKAO_ADMIN_KEY
        terminal.Input.PushKey(ConsoleKey.Enter);             // channel id: none
        terminal.Input.PushKey(ConsoleKey.Enter);             // bot id: none
        terminal.Input.PushTextWithEnter("eighty");           // not a number
        terminal.Input.PushTextWithEnter("70000");            // not a port
        terminal.Input.PushTextWithEnter("8790");
        terminal.Input.PushKey(ConsoleKey.Enter);             // path: the default
        terminal.Input.PushKey(ConsoleKey.Enter);             // header: the default
        terminal.Input.PushKey(ConsoleKey.Enter);             // webhook secret: generate
        terminal.Input.PushKey(ConsoleKey.DownArrow);         // open → pairing → allowlist
        terminal.Input.PushKey(ConsoleKey.DownArrow);
        terminal.Input.PushKey(ConsoleKey.Enter);
        terminal.Input.PushKey(ConsoleKey.Enter);             // allowFrom left empty: refused for an allowlist
        terminal.Input.PushTextWithEnter("user-1, user-2");
        terminal.Input.PushKey(ConsoleKey.DownArrow);         // brand-message
        terminal.Input.PushKey(ConsoleKey.Enter);

        var run = await RunAsync(cli, terminal, "kakao", "setup");

        Assert.True(run.ExitCode == 0, run.Error + run.Screen);
        var account = Account(cli);
        Assert.Equal("My bot", (string?)account["name"]);
        Assert.Equal("${KAKAO_ADMIN_KEY}", (string?)account["adminKey"]);
        Assert.Equal(8790, account["webhookPort"]!.GetValue<int>());
        Assert.Equal("allowlist", (string?)account["dmPolicy"]);
        Assert.Equal(["user-1", "user-2"], account["allowFrom"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("brand-message", (string?)account["outbound"]!["phoneProvider"]);
        Assert.True(((string?)account["webhookSecret"])?.Length >= 32);
        Assert.Contains("A port is from 1 to 65535", run.Screen);
        Assert.Contains("Type a port number", run.Screen);
        Assert.Contains("give at least one id", run.Screen);
        Assert.Contains("KAKAO_ADMIN_KEY", run.Out);
        Assert.Contains("not set here", run.Out);
    }

    [Fact]
    public async Task A_key_typed_into_the_wizard_is_never_echoed_and_lands_in_the_owner_only_file()
    {
        using var cli = new CliRunner();
        var terminal = Terminal();
        terminal.Input.PushKey(ConsoleKey.Enter);             // name: none
        terminal.Input.PushKey(ConsoleKey.DownArrow);         // which keys: senderKey
        terminal.Input.PushKey(ConsoleKey.Spacebar);
        terminal.Input.PushKey(ConsoleKey.Enter);
        terminal.Input.PushKey(ConsoleKey.DownArrow);         // written into the file
        terminal.Input.PushKey(ConsoleKey.Enter);
        terminal.Input.PushTextWithEnter("sender-key-typed-secretly");
        for (var i = 0; i < 5; i++)
        {
            terminal.Input.PushKey(ConsoleKey.Enter);         // channel id, bot id, port, path, header
        }
        terminal.Input.PushKey(ConsoleKey.DownArrow);         // webhook secret: type one
        terminal.Input.PushKey(ConsoleKey.Enter);
        terminal.Input.PushTextWithEnter("hook-secret-typed");
        terminal.Input.PushKey(ConsoleKey.Enter);             // dmPolicy: open
        terminal.Input.PushKey(ConsoleKey.Enter);             // provider: friendtalk-compat

        var run = await RunAsync(cli, terminal, "kakao", "setup");

        Assert.True(run.ExitCode == 0, run.Error + run.Screen);
        Assert.Equal("sender-key-typed-secretly", (string?)Account(cli)["senderKey"]);
        Assert.Equal("hook-secret-typed", (string?)Account(cli)["webhookSecret"]);
        Assert.DoesNotContain("sender-key-typed-secretly", run.Screen);
        Assert.DoesNotContain("hook-secret-typed", run.Screen);
        Assert.DoesNotContain("sender-key-typed-secretly", run.Out);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cli.Home, ".moltbot.json")));
        }
    }

    [Fact]
    public async Task What_the_flags_give_is_not_asked_again()
    {
        using var cli = new CliRunner();
        var terminal = Terminal();
        terminal.Input.PushTextWithEnter("Flag bot");
        terminal.Input.PushKey(ConsoleKey.Enter);             // which keys: none
        terminal.Input.PushKey(ConsoleKey.Enter);             // channel id
        terminal.Input.PushKey(ConsoleKey.Enter);             // bot id
        terminal.Input.PushKey(ConsoleKey.Enter);             // path
        terminal.Input.PushKey(ConsoleKey.Enter);             // header
        terminal.Input.PushKey(ConsoleKey.Enter);             // webhook secret: generate
        terminal.Input.PushKey(ConsoleKey.Enter);             // provider

        var run = await RunAsync(cli, terminal, "kakao", "setup", "--port", "9100", "--dm-policy", "open");

        Assert.True(run.ExitCode == 0, run.Error + run.Screen);
        Assert.DoesNotContain("Webhook port", run.Screen);
        Assert.DoesNotContain("Who may talk", run.Screen);
        Assert.Equal(9100, Account(cli)["webhookPort"]!.GetValue<int>());
        Assert.Equal("Flag bot", (string?)Account(cli)["name"]);
    }
}
