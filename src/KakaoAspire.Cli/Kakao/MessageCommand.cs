using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// <c>moltbot kakao message &lt;id&gt;</c>: one proactive message's state and the provider's reason, from the outbound
/// API through the edge (<c>GET /api/v1/messages/{id}</c>). The recipient is masked there; the text is never shown.
/// </summary>
public static class MessageCommand
{
    public static Command Create(CliConsole console, Option<string?> config)
    {
        var id = new Argument<string>("id") { Description = "The message id that 'kakao send' printed (msg_…)" };
        var json = new Option<bool>("--json") { Description = "Print the message record as JSON" };
        var command = new Command("message", "Show one proactive message's state and the provider's reason") { id, json };
        command.SetAction((parse, ct) => RunAsync(console, parse.GetValue(config), parse.GetValue(id)!, parse.GetValue(json), ct));
        return command;
    }

    public static async Task<int> RunAsync(CliConsole console, string? configPath, string id, bool asJson, CancellationToken cancellationToken)
    {
        var context = CliContext.Load(console, configPath);
        if (context is null)
        {
            return ExitCodes.InvalidInput;
        }
        using var gateway = new GatewayClient(context);
        var reply = await gateway.SendAsync(HttpMethod.Get, $"api/v1/messages/{Uri.EscapeDataString(id)}", cancellationToken: cancellationToken);
        if (reply is null)
        {
            gateway.WriteUnreachable(console.Error);
            return ExitCodes.GatewayUnreachable;
        }
        if (reply.Status != HttpStatusCode.OK || reply.Body is null)
        {
            console.Error.WriteLine($"No message shown: {GatewayClient.Describe(reply)}");
            return ExitCodes.Failed;
        }
        if (asJson)
        {
            console.Out.WriteLine(reply.Body.ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
        }
        else
        {
            Write(console.Out, reply.Body);
        }
        return ExitCodes.Ok;
    }

    public static void Write(TextWriter output, JsonNode message)
    {
        string? Field(string name) => message[name]?.ToString() is { Length: > 0 } value ? value : null;
        output.WriteLine($"Message {Field("messageId")}: {Field("status")}");
        output.WriteLine($"  account: {Field("accountId") ?? "-"}, provider: {Field("provider") ?? "-"}, to: {Field("to") ?? "-"}");
        foreach (var (label, field) in new[] { ("accepted", "acceptedAt"), ("scheduled for", "scheduledFor"), ("sent", "sentAt"), ("delivered", "deliveredAt"), ("updated", "updatedAt") })
        {
            if (Field(field) is { } at)
            {
                output.WriteLine($"  {label}: {Kst.Format(at)}");
            }
        }
        if (Field("providerCode") is { } code)
        {
            output.WriteLine($"  provider code: {code}{(Field("providerRequestId") is { } request ? $" (request {request})" : "")}");
        }
        if (Field("reason") is { } reason)
        {
            output.WriteLine($"  reason: {reason}");
        }
        output.WriteLine($"  attempts: {Field("attempts") ?? "0"}");
    }
}
