using System.Text.Json;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>One <c>res</c> frame: <c>{type:"res", id, ok, payload?, error?{code, message}}</c>.</summary>
internal sealed record GatewayResponse(string Id, bool Ok, JsonElement? Payload, string? ErrorCode, string? ErrorMessage)
{
    /// <summary><c>payload.status</c>: "accepted" for the ack of an <c>agent</c> request, "ok" or "error" for its final.</summary>
    public string? Status => Text(Payload, "status");

    public bool IsAccepted => Ok && Status == "accepted";

    public string ErrorText => $"{ErrorCode ?? "error"}: {ErrorMessage ?? "(no message)"}";

    public static GatewayResponse From(JsonElement frame)
    {
        var error = frame.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : (JsonElement?)null;
        return new GatewayResponse(
            Text(frame, "id") ?? "",
            frame.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True,
            frame.TryGetProperty("payload", out var payload) && payload.ValueKind != JsonValueKind.Null ? payload.Clone() : null,
            Text(error, "code"),
            Text(error, "message"));
    }

    public static string? Text(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
