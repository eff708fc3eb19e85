using System.Text.Json;

namespace KakaoAspire.Gateway.Protocol;

/// <summary>One <c>res</c> frame: <c>{type:"res", id, ok, payload?, error?{code, message}}</c>.</summary>
public sealed record GatewayResponse(string Id, bool Ok, JsonElement? Payload, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>The whole <c>error</c> object (with <c>retryAfterMs</c> and <c>details</c>) when the gateway refused.</summary>
    public JsonElement? Error { get; init; }

    /// <summary><c>error.details.code</c>, e.g. PAIRING_REQUIRED, AUTH_TOKEN_MISMATCH, MISSING_SCOPE.</summary>
    public string? DetailCode => Text(Error is { } e && e.TryGetProperty("details", out var d) ? d : null, "code");

    /// <summary>
    /// <c>payload.status</c>: "accepted" for the ack of an <c>agent</c> request; "in_flight" for a replay of a run still
    /// going; "ok", "timeout" or "error" for its final.
    /// </summary>
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
            Text(error, "message"))
        {
            Error = error?.Clone(),
        };
    }

    public static string? Text(JsonElement? element, string property) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
