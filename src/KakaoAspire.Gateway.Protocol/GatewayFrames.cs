using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.Gateway.Protocol;

// The gateway validates every object with additionalProperties:false and rejects a null where a string is
// expected, so these records hold exactly the keys we send and nulls are never written (docs/gateway-protocol.md#frames).

public sealed record RequestFrame(string Type, string Id, string Method, JsonElement Params);

public sealed record ConnectParams(
    int MinProtocol, int MaxProtocol, ClientInfo Client, string Role, IReadOnlyList<string> Scopes, ConnectAuth? Auth, ConnectDevice? Device,
    string UserAgent);

/// <summary>Who connects; <c>instanceId</c> is left out when null (a one-off probe has none).</summary>
public sealed record ClientInfo(string Id, string DisplayName, string Version, string Platform, string Mode, string? InstanceId);

/// <summary>The shared <c>gateway.auth.token</c> and/or the device token an approved device was issued.</summary>
public sealed record ConnectAuth(string? Token, string? DeviceToken);

/// <summary>The signed device identity (docs/gateway/protocol/auth.md): <c>signedAt</c> and <c>nonce</c> come from the challenge.</summary>
public sealed record ConnectDevice(string Id, string PublicKey, string Signature, long SignedAt, string Nonce);

public sealed record AgentParams
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

public sealed record AgentWaitParams(string RunId, int TimeoutMs);

public sealed record ChatHistoryParams(string SessionKey, int Limit);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestFrame))]
[JsonSerializable(typeof(ConnectParams))]
[JsonSerializable(typeof(AgentParams))]
[JsonSerializable(typeof(AgentWaitParams))]
[JsonSerializable(typeof(ChatHistoryParams))]
[JsonSerializable(typeof(ConnectDevice))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
