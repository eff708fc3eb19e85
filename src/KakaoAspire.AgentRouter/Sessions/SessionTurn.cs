using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>One message of a session's history as stored in Redis.</summary>
public sealed record SessionTurn(string Role, string Text, DateTimeOffset At);

[JsonSerializable(typeof(SessionTurn))]
internal sealed partial class SessionJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Hangul stays readable UTF-8 in Redis (an operator reading a session sees the words, not \uXXXX);
    /// the stored JSON is never embedded in HTML, so the relaxed encoder is safe here.
    /// </summary>
    public static SessionJsonContext Stored { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
