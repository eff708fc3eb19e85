using System.Text.Json.Serialization;
using KakaoAspire.FriendTalk.Providers;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// What the sender needs to send one accepted message, stored with it in Redis as JSON. A part of a split message
/// names the part after it: that one is queued only when this one is done, so the parts reach the user in order.
/// </summary>
public sealed record OutboundMessage(
    string Id,
    string AccountId,
    ProviderKind Provider,
    RecipientKind RecipientKind,
    string RecipientValue,
    string Text,
    IReadOnlyList<MessageButton> Buttons,
    string? ImageUrl,
    bool IsAd = false,
    string? NextPartId = null,
    string? NextPartGroup = null)
{
    [JsonIgnore]
    public Recipient Recipient => new(RecipientKind, RecipientValue);
}
