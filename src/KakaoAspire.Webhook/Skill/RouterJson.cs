using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.Webhook.Skill;

/// <summary>
/// The agent-router's JSON, generated at build time (web defaults, as the router reads and writes it): no reflection
/// or metadata built per process on the reply path.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TurnRequest))]
[JsonSerializable(typeof(TurnResponse))]
[JsonSerializable(typeof(DeliveredTurns))]
public sealed partial class RouterJson : JsonSerializerContext;
