using System.Text.Json.Nodes;

namespace KakaoAspire.Kakao.Skill;

public static class ButtonActions
{
    public const string WebLink = "webLink";
    public const string Message = "message";
    public const string Phone = "phone";
    public const string Block = "block";
    public const string Share = "share";
    public const string Operator = "operator";
    public const string AddChannel = "addChannel";
}

// A card button; which extra field is required depends on the action (docs/kakao-skill-protocol.md#limits, button actions).
public sealed record Button
{
    public string Label { get; init; } = "";
    public string Action { get; init; } = "";
    public string? WebLinkUrl { get; init; }
    public string? MessageText { get; init; }
    public string? PhoneNumber { get; init; }
    public string? BlockId { get; init; }

    // Comes back as action.clientExtra on the next request.
    public JsonObject? Extra { get; init; }

    public static Button WebLink(string label, string url) =>
        new() { Label = label, Action = ButtonActions.WebLink, WebLinkUrl = url };

    public static Button Message(string label, string? messageText = null) =>
        new() { Label = label, Action = ButtonActions.Message, MessageText = messageText ?? label };

    public static Button Phone(string label, string phoneNumber) =>
        new() { Label = label, Action = ButtonActions.Phone, PhoneNumber = phoneNumber };

    public static Button Block(string label, string blockId, string? messageText = null, JsonObject? extra = null) =>
        new() { Label = label, Action = ButtonActions.Block, BlockId = blockId, MessageText = messageText, Extra = extra };

    public static Button Share(string label) => new() { Label = label, Action = ButtonActions.Share };

    // Needs the 상담톡 plugin on the channel.
    public static Button Operator(string label) => new() { Label = label, Action = ButtonActions.Operator };

    // Unconfirmed for skill buttons (docs/kakao-skill-protocol.md#limits); offered because the brief lists it.
    public static Button AddChannel(string label) => new() { Label = label, Action = ButtonActions.AddChannel };
}
