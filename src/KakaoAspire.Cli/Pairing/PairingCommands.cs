using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Pairing;

/// <summary><c>moltbot pairing list kakao</c> and <c>moltbot pairing approve kakao &lt;CODE&gt;</c>, through the pairing API.</summary>
public static class PairingCommands
{
    public static Command List(CliConsole console, Option<string?> config)
    {
        var channel = ChannelArgument();
        var command = new Command("list", "List pending pairing requests") { channel };
        command.SetAction((parse, ct) => ListAsync(console, parse.GetValue(config), parse.GetValue(channel)!, ct));
        return command;
    }

    public static Command Approve(CliConsole console, Option<string?> config)
    {
        var channel = ChannelArgument();
        var code = new Argument<string>("code") { Description = "The 8-character code the user received" };
        var account = new Option<string?>("--account") { Description = "The account the code belongs to (default: any)" };
        AccountCompletions.AddTo(account, config, console);
        var command = new Command("approve", "Let the person with this code talk to the assistant") { channel, code, account };
        command.SetAction((parse, ct) => ApproveAsync(console, parse.GetValue(config), parse.GetValue(channel)!,
            parse.GetValue(code)!, parse.GetValue(account), ct));
        return command;
    }

    private static Argument<string> ChannelArgument()
    {
        // The parser refuses another channel and the shell completes this one.
        var channel = new Argument<string>("channel") { Description = "The channel: kakao" };
        channel.AcceptOnlyFromAmong("kakao");
        return channel;
    }

    public static async Task<int> ListAsync(CliConsole console, string? configPath, string channel, CancellationToken cancellationToken)
    {
        if (!IsKakao(console, channel))
        {
            return ExitCodes.InvalidInput;
        }
        var context = CliContext.Load(console, configPath);
        if (context is null)
        {
            return ExitCodes.InvalidInput;
        }
        using var gateway = new GatewayClient(context);
        var reply = await gateway.SendAsync(HttpMethod.Get, "api/v1/pairing/kakao", cancellationToken: cancellationToken);
        if (reply is null)
        {
            gateway.WriteUnreachable(console.Error);
            return ExitCodes.GatewayUnreachable;
        }
        if (reply.Status != HttpStatusCode.OK)
        {
            console.Error.WriteLine($"Could not list pairing requests: {GatewayClient.Describe(reply)}");
            return ExitCodes.Failed;
        }
        var requests = (reply.Body as JsonArray ?? reply.Body?["requests"] as JsonArray ?? reply.Body?["pending"] as JsonArray) ?? [];
        if (requests.Count == 0)
        {
            console.Out.WriteLine("No pending pairing requests.");
            return ExitCodes.Ok;
        }
        foreach (var request in requests)
        {
            console.Out.WriteLine(
                $"{request?["code"]}  account:{request?["accountId"]}  user:{request?["userId"]}  asked:{Kst.Format(request?["createdAt"]?.ToString())}");
        }
        console.Out.WriteLine("Approve with: moltbot pairing approve kakao <CODE>");
        return ExitCodes.Ok;
    }

    public static async Task<int> ApproveAsync(CliConsole console, string? configPath, string channel, string code, string? account,
        CancellationToken cancellationToken)
    {
        if (!IsKakao(console, channel))
        {
            return ExitCodes.InvalidInput;
        }
        var context = CliContext.Load(console, configPath);
        if (context is null)
        {
            return ExitCodes.InvalidInput;
        }
        using var gateway = new GatewayClient(context);
        var reply = await gateway.SendAsync(HttpMethod.Post, "api/v1/pairing/kakao/approve",
            new { code = code.Trim().ToUpperInvariant(), accountId = account }, cancellationToken: cancellationToken);
        if (reply is null)
        {
            gateway.WriteUnreachable(console.Error);
            return ExitCodes.GatewayUnreachable;
        }
        if (reply.Status != HttpStatusCode.OK)
        {
            console.Error.WriteLine($"Not approved: {GatewayClient.Describe(reply)}");
            return reply.Status == HttpStatusCode.NotFound ? ExitCodes.Failed : ExitCodes.InvalidInput;
        }
        console.Out.WriteLine($"Approved {reply.Body?["userId"]} on account {reply.Body?["accountId"] ?? account ?? "default"}. " +
                              "Their next message goes through.");
        return ExitCodes.Ok;
    }

    private static bool IsKakao(CliConsole console, string channel)
    {
        if (string.Equals(channel, "kakao", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        console.Error.WriteLine($"Unknown channel '{channel}'. This gateway serves the 'kakao' channel.");
        return false;
    }
}
