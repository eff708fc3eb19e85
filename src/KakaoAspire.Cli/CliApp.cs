using System.CommandLine;
using KakaoAspire.Cli.Gateway;
using KakaoAspire.Cli.Kakao;
using KakaoAspire.Cli.Pairing;

namespace KakaoAspire.Cli;

/// <summary>The <c>moltbot</c> command tree, as Moltbot's own CLI names things.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        // Overrides MOLTBOT_CONFIG_PATH and the usual lookup; every command takes it. A new tree per run: symbols
        // belong to one parent, and tests run several CLIs at once.
        var config = new Option<string?>("--config")
        {
            Description = "Path of the Moltbot config file (default: MOLTBOT_CONFIG_PATH, OPENCLAW_CONFIG_PATH, ~/.moltbot.json, ~/.moltbot/moltbot.json, ~/.openclaw/openclaw.json)",
            Recursive = true,
        };
        var root = new RootCommand("moltbot: the KakaoTalk channel of the Moltbot gateway")
        {
            config,
            new Command("gateway", "Run the gateway (this repository's Aspire app)") { GatewayRunCommand.Create(console, config) },
            new Command("kakao", "The KakaoTalk channel")
            {
                StatusCommand.Create(console, config),
                SendCommand.Create(console, config),
                MessageCommand.Create(console, config),
                SetupCommand.Create(console, config),
            },
            new Command("pairing", "Approve people who asked to talk to the assistant (dmPolicy \"pairing\")")
            {
                PairingCommands.List(console, config),
                PairingCommands.Approve(console, config),
            },
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine(error.Message);
            }
            console.Error.WriteLine("Run 'moltbot --help' (or the command with --help) for usage.");
            return ExitCodes.InvalidInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken);
    }
}
