using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>A request that passed validation: the account, the provider it goes through and the normalized fields.</summary>
public sealed record ValidatedSend(
    KakaoAccountConfig Account,
    ProviderKind Provider,
    Recipient Recipient,
    string Text,
    IReadOnlyList<MessageButton> Buttons,
    string? ImageUrl,
    string IdempotencyKey);
