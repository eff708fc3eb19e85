using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.AgentRouter.Turns;

[JsonSerializable(typeof(TurnResponse))]
internal sealed partial class TurnJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Answers as stored in Redis: the same camelCase JSON the HTTP API returns, Hangul kept readable
    /// (never embedded in HTML, so the relaxed encoder is safe).
    /// </summary>
    public static TurnJsonContext Stored { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
