using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.AgentRouter.Gateway;

// The gateway validates every object with additionalProperties:false and rejects a null where a string is
// expected, so these records hold exactly the keys we send and nulls are never written (docs/gateway-protocol.md#frames).

internal sealed record RequestFrame(string Type, string Id, string Method, JsonElement Params);

internal sealed record ConnectParams(
    int MinProtocol, int MaxProtocol, ClientInfo Client, string Role, IReadOnlyList<string> Scopes, ConnectAuth? Auth, ConnectDevice? Device,
    string UserAgent);

internal sealed record ClientInfo(string Id, string DisplayName, string Version, string Platform, string Mode, string InstanceId);

/// <summary>The shared <c>gateway.auth.token</c> and/or the device token an approved device was issued.</summary>
internal sealed record ConnectAuth(string? Token, string? DeviceToken);

/// <summary>The signed device identity (docs/gateway/protocol/auth.md): <c>signedAt</c> and <c>nonce</c> come from the challenge.</summary>
internal sealed record ConnectDevice(string Id, string PublicKey, string Signature, long SignedAt, string Nonce);

internal sealed record AgentParams
{
    public required string Message { get; init; }
    public required string AgentId { get; init; }
    public required string SessionKey { get; init; }
    public required string Channel { get; init; }
    public required bool Deliver { get; init; }
    /// <summary>Seconds; the gateway aborts the run after it.</summary>
    public required int Timeout { get; init; }
    public string? ExtraSystemPrompt { get; init; }
    /// <summary>Becomes the run id and the gateway's dedupe key.</summary>
    public required string IdempotencyKey { get; init; }
}

internal sealed record AgentWaitParams(string RunId, int TimeoutMs);

internal sealed record ChatHistoryParams(string SessionKey, int Limit);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestFrame))]
[JsonSerializable(typeof(ConnectParams))]
[JsonSerializable(typeof(AgentParams))]
[JsonSerializable(typeof(AgentWaitParams))]
[JsonSerializable(typeof(ChatHistoryParams))]
[JsonSerializable(typeof(ConnectDevice))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
