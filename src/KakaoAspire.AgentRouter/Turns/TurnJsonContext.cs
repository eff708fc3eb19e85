using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// The turns API's JSON, source-generated: its request bodies and answers (first in the HTTP resolver chain, see
/// <c>AddApplicationServices</c>, where ASP.NET's web options still decide the names and the escaping), and answers
/// as stored in Redis (<see cref="Stored"/>).
/// </summary>
[JsonSerializable(typeof(TurnRequest))]
[JsonSerializable(typeof(TurnResponse))]
[JsonSerializable(typeof(DeliveredTurns))]
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
