using KakaoAspire.FriendTalk.Providers;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>Content limits per provider (docs/nhn-and-event-api.md#nhn-the-send-request; the Event API shows text like a simpleText, docs/kakao-skill-protocol.md#limits).</summary>
public static class MessageLimits
{
    public const int MaxButtons = 5;
    public const int MaxIdempotencyKeyLength = 200;
    public const int BrandMessageMaxLineBreaks = 99;

    /// <summary>A long message is split into at most this many parts (each counts against the daily cap).</summary>
    public const int MaxParts = 20;

    public static int MaxLength(ProviderKind provider, bool hasImage) => provider switch
    {
        ProviderKind.FriendtalkCompat => hasImage ? 400 : 1000,
        ProviderKind.BrandMessage => hasImage ? 400 : 1300,
        _ => 1000,
    };

    public static int MaxButtonName(ProviderKind provider) => provider == ProviderKind.FriendtalkCompat ? 28 : 14;
}
