using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// A request that passed validation: the account, the provider it goes through and the normalized fields.
/// <see cref="Parts"/> is the text as the provider takes it: one part, or several in order when it is longer than
/// the provider's limit.
/// </summary>
public sealed record ValidatedSend(
    KakaoAccountConfig Account,
    ProviderKind Provider,
    Recipient Recipient,
    string Text,
    IReadOnlyList<MessageButton> Buttons,
    string? ImageUrl,
    string IdempotencyKey,
    bool IsAd = false,
    IReadOnlyList<string>? Parts = null)
{
    public IReadOnlyList<string> TextParts => Parts ?? [Text];
}
