using System.Text.Json.Serialization;
using KakaoAspire.FriendTalk.Providers;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>What the sender needs to send one accepted message, stored with it in Redis as JSON.</summary>
public sealed record OutboundMessage(
    string Id,
    string AccountId,
    ProviderKind Provider,
    RecipientKind RecipientKind,
    string RecipientValue,
    string Text,
    IReadOnlyList<MessageButton> Buttons,
    string? ImageUrl)
{
    [JsonIgnore]
    public Recipient Recipient => new(RecipientKind, RecipientValue);
}
