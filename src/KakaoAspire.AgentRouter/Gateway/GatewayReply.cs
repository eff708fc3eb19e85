using System.Text.Json;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// A finished run's answer: the payload texts (joined with a blank line, as the gateway's own OpenAI shim does) and
/// the http(s) media URLs (others are paths on the gateway host that Kakao cannot fetch). No text means the agent
/// chose not to reply (Moltbot's <c>NO_REPLY</c>).
/// </summary>
internal sealed record GatewayReply(IReadOnlyList<string> Texts, IReadOnlyList<string> MediaUrls, string Source)
{
    // Moltbot's SILENT_REPLY_TOKEN: the agent's way of saying nothing; the transcript may hold it verbatim.
    private const string SilentReply = "NO_REPLY";

    public string Text => string.Join("\n\n", Texts);

    /// <summary>
    /// The final <c>res</c> of an <c>agent</c> request: <c>payload.result.payloads[{text, mediaUrl, mediaUrls, isError}]</c>.
    /// Only <c>status: "ok"</c> is an answer; a timed-out or failed run (whose payloads are the gateway's English error
    /// text, marked <c>isError</c>) throws, so the user reads our own text instead.
    /// </summary>
    public static GatewayReply FromFinal(GatewayResponse response, string source)
    {
        if (!response.Ok)
        {
            var cause = response.ErrorMessage?.Contains("unknown agent", StringComparison.OrdinalIgnoreCase) == true ? GatewayFailureCause.UnknownAgent
                : response.DetailCode == "MISSING_SCOPE" || response.ErrorMessage?.StartsWith("missing scope", StringComparison.OrdinalIgnoreCase) == true
                    ? GatewayFailureCause.ScopeMissing
                : GatewayFailureCause.RunError;
            throw new MoltbotGatewayException(cause, response.ErrorCode is null
                ? $"status {response.Status}: {GatewayResponse.Text(response.Payload, "summary")}"
                : response.ErrorText);
        }
        switch (response.Status)
        {
            case "ok":
                break;
            case "timeout":
                throw new MoltbotGatewayException(GatewayFailureCause.Timeout,
                    $"the run timed out on the gateway (status timeout, {GatewayResponse.Text(response.Payload, "summary") ?? "no summary"})");
            default:
                throw new MoltbotGatewayException(GatewayFailureCause.RunError,
                    $"status {response.Status ?? "(none)"}: {GatewayResponse.Text(response.Payload, "summary") ?? "no summary"}");
        }

        var texts = new List<string>();
        var media = new List<string>();
        var errors = 0;
        if (response.Payload is { } payload && payload.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            && result.TryGetProperty("payloads", out var payloads) && payloads.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in payloads.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True)
                {
                    errors++;
                    continue;
                }
                AddText(texts, GatewayResponse.Text(item, "text"));
                AddMedia(media, GatewayResponse.Text(item, "mediaUrl"));
                if (item.TryGetProperty("mediaUrls", out var urls) && urls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var url in urls.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String))
                    {
                        AddMedia(media, url.GetString());
                    }
                }
            }
        }
        if (errors > 0 && texts.Count == 0 && media.Count == 0)
        {
            throw new MoltbotGatewayException(GatewayFailureCause.RunError, $"status ok, but its {errors} payload(s) are errors (isError)");
        }
        return new GatewayReply(texts, media, source);
    }

    /// <summary>The assistant messages after the last user message of a <c>chat.history</c> answer.</summary>
    public static GatewayReply FromHistory(GatewayResponse response)
    {
        if (!response.Ok)
        {
            throw new MoltbotGatewayException(GatewayFailureCause.RunError, $"chat.history refused: {response.ErrorText}");
        }
        var messages = response.Payload is { } payload && payload.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().ToList()
            : [];
        var lastUser = messages.FindLastIndex(message => GatewayResponse.Text(message, "role") == "user");
        var texts = new List<string>();
        foreach (var message in messages.Skip(lastUser + 1).Where(message => GatewayResponse.Text(message, "role") == "assistant"))
        {
            AddText(texts, Content(message));
        }
        return new GatewayReply(texts, [], "chat.history");
    }

    public ChatResponse ToChatResponse()
    {
        var message = new ChatMessage { Role = ChatRole.Assistant };
        if (Texts.Count > 0)
        {
            message.Contents.Add(new TextContent(Text));
        }
        foreach (var url in MediaUrls)
        {
            message.Contents.Add(new UriContent(new Uri(url), ImageMediaType(url)));
        }
        return new ChatResponse(message);
    }

    // Content is a string or an array of parts ({type:"text", text}).
    private static string? Content(JsonElement message) =>
        !message.TryGetProperty("content", out var content) ? null
        : content.ValueKind == JsonValueKind.String ? content.GetString()
        : content.ValueKind == JsonValueKind.Array
            ? string.Concat(content.EnumerateArray().Where(p => GatewayResponse.Text(p, "type") == "text").Select(p => GatewayResponse.Text(p, "text")))
            : null;

    private static void AddText(List<string> texts, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text) && text.Trim() != SilentReply)
        {
            texts.Add(text.Trim());
        }
    }

    private static void AddMedia(List<string> media, string? url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !media.Contains(url!))
        {
            media.Add(url!);
        }
    }

    private static string ImageMediaType(string url) => Path.GetExtension(new Uri(url).AbsolutePath).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".gif" => "image/gif",
        ".webp" => "image/webp",
        ".jpg" or ".jpeg" => "image/jpeg",
        _ => "image/*",
    };
}
