using System.Text.Json.Nodes;

namespace KakaoAspire.Kakao.Skill;

public sealed record QuickReply
{
    public string Label { get; init; } = "";

    /// <summary>"message" or "block".</summary>
    public string Action { get; init; } = ButtonActions.Message;
    public string? MessageText { get; init; }
    public string? BlockId { get; init; }

    // Comes back as action.clientExtra; Kakao extracts no entities from quick-reply text.
    public JsonObject? Extra { get; init; }

    public static QuickReply Message(string label, string? messageText = null, JsonObject? extra = null) =>
        new() { Label = label, Action = ButtonActions.Message, MessageText = messageText ?? label, Extra = extra };

    public static QuickReply Block(string label, string blockId, string? messageText = null, JsonObject? extra = null) =>
        new() { Label = label, Action = ButtonActions.Block, BlockId = blockId, MessageText = messageText, Extra = extra };
}
