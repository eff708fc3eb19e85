using System.CommandLine;
using KakaoAspire.Cli.Gateway;
using KakaoAspire.Cli.Kakao;
using KakaoAspire.Cli.Pairing;

namespace KakaoAspire.Cli;

/// <summary>The <c>moltbot</c> command tree, as Moltbot's own CLI names things.</summary>
public static class CliApp
{
    /// <summary>Overrides MOLTBOT_CONFIG_PATH and the usual lookup for one command.</summary>
    public static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "Path of the Moltbot config file (default: MOLTBOT_CONFIG_PATH, ~/.moltbot.json, ~/.moltbot/moltbot.json)",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("moltbot: the KakaoTalk channel of the Moltbot gateway")
        {
            ConfigOption,
            new Command("gateway", "Run the gateway (this repository's Aspire app)") { GatewayRunCommand.Create(console) },
            new Command("kakao", "The KakaoTalk channel")
            {
                StatusCommand.Create(console),
                SendCommand.Create(console),
                SetupCommand.Create(console),
            },
            new Command("pairing", "Approve people who asked to talk to the assistant (dmPolicy \"pairing\")")
            {
                PairingCommands.List(console),
                PairingCommands.Approve(console),
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
