using System.CommandLine;
using System.Net;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary><c>moltbot kakao send &lt;to&gt; &lt;message&gt;</c>: through the running gateway's outbound API.</summary>
public static class SendCommand
{
    private static readonly string[] FinalStatuses = ["sent", "delivered", "failed"];

    public static Command Create(CliConsole console, Option<string?> config)
    {
        var to = new Argument<string>("to") { Description = "A Korean phone number (010-1234-5678, +82 10-1234-5678) or kakao:botUserKey:<id>, kakao:plusfriendUserKey:<id>, kakao:appUserId:<id>" };
        var message = new Argument<string>("message") { Description = "The text to send" };
        var account = new Option<string?>("--account") { Description = "The account to send from (default: channels.kakao.defaultAccount)" };
        AccountCompletions.AddTo(account, config, console);
        var key = new Option<string?>("--idempotency-key") { Description = "Sending again with the same key never sends twice (default: a new key)" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the final status (sent, delivered or failed)" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait with --wait", DefaultValueFactory = _ => 60 };
        var ad = new Option<bool>("--ad") { Description = "The message is advertising: it waits for the night window (--ad false: informational; default: the account's outbound.isAd, else false)" };
        var command = new Command("send", "Send a proactive KakaoTalk message") { to, message, account, key, wait, timeout, ad };
        command.SetAction((parse, ct) => RunAsync(console, parse.GetValue(config), parse.GetValue(to)!, parse.GetValue(message)!,
            parse.GetValue(account), parse.GetValue(key), parse.GetValue(wait), parse.GetValue(timeout), ct,
            parse.GetResult(ad) is null ? null : parse.GetValue(ad)));
        return command;
    }

    public static async Task<int> RunAsync(CliConsole console, string? configPath, string to, string message, string? account,
        string? idempotencyKey, bool wait, int timeoutSeconds, CancellationToken cancellationToken, bool? isAd = null)
    {
        var context = CliContext.Load(console, configPath);
        if (context is null)
        {
            return ExitCodes.InvalidInput;
        }
        using var gateway = new GatewayClient(context);
        var key = idempotencyKey ?? Guid.NewGuid().ToString("N");
        var reply = await gateway.SendAsync(HttpMethod.Post, "api/v1/messages",
            new { channel = "kakao", accountId = account, to, message, idempotencyKey = key, isAd }, cancellationToken: cancellationToken);
        if (reply is null)
        {
            gateway.WriteUnreachable(console.Error);
            return ExitCodes.GatewayUnreachable;
        }
        if (reply.Status is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
        {
            console.Error.WriteLine($"Not sent: {GatewayClient.Describe(reply)}");
            if (reply.RetryAfter is { } after)
            {
                console.Error.WriteLine($"Try again after {Kst.Format(DateTimeOffset.UtcNow + after)}.");
            }
            return reply.Status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.NotFound
                ? ExitCodes.InvalidInput
                : ExitCodes.Failed;
        }

        var id = reply.Body?["id"]?.ToString() ?? reply.Body?["messageId"]?.ToString();
        var status = reply.Body?["status"]?.ToString() ?? "accepted";
        console.Out.WriteLine($"Message {id}: {status} (idempotency key {key})");
        if (!wait || id is null)
        {
            return ExitCodes.Ok;
        }

        var (final, unreachable) = await CliProgress.RunAsync(console, $"Waiting for {id}: {status}",
            progress => WaitAsync(gateway, id, status, timeoutSeconds, progress, cancellationToken));
        if (unreachable)
        {
            gateway.WriteUnreachable(console.Error);
            return ExitCodes.GatewayUnreachable;
        }
        status = final;
        if (!FinalStatuses.Contains(status))
        {
            console.Error.WriteLine($"Message {id} is still {status} after {timeoutSeconds} s; check later with 'moltbot kakao status'.");
            return ExitCodes.Failed;
        }
        return status == "failed" ? ExitCodes.Failed : ExitCodes.Ok;
    }

    /// <summary>
    /// Polls the message until a final status, printing each change (with the provider's reason, e.g. why it is
    /// scheduled or being retried) as it happens; on a terminal a spinner shows the wait.
    /// </summary>
    private static async Task<(string Status, bool Unreachable)> WaitAsync(GatewayClient gateway, string id, string status,
        int timeoutSeconds, ICliProgress progress, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(timeoutSeconds);
        string? reason = null;
        while (!FinalStatuses.Contains(status) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, cancellationToken);
            var poll = await gateway.SendAsync(HttpMethod.Get, $"api/v1/messages/{Uri.EscapeDataString(id)}", cancellationToken: cancellationToken);
            if (poll is null)
            {
                return (status, true);
            }
            var now = poll.Body?["status"]?.ToString() ?? status;
            var why = poll.Body?["reason"]?.ToString();
            if (now != status || why != reason)
            {
                status = now;
                reason = why;
                progress.Result($"Message {id}: {status}{(string.IsNullOrEmpty(reason) ? "" : $" — {reason}")}");
            }
            progress.Status($"Waiting for {id}: {status} ({(int)(DateTime.UtcNow - started).TotalSeconds} s of {timeoutSeconds} s)");
        }
        return (status, false);
    }
}
