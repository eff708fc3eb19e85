using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.FriendTalk.Messages;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendMessageRequest))]
[JsonSerializable(typeof(SendMessageResponse))]
[JsonSerializable(typeof(MessageView))]
[JsonSerializable(typeof(OutboundMessage))]
[JsonSerializable(typeof(IReadOnlyList<OutboxItem>))]
public sealed partial class OutboundJsonContext : JsonSerializerContext;
