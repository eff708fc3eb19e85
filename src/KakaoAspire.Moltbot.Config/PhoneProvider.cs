namespace KakaoAspire.Moltbot.Config;

/// <summary>Which NHN API sends to phone numbers. JSON: "friendtalk-compat" | "brand-message".</summary>
public enum PhoneProvider
{
    FriendtalkCompat,
    BrandMessage,
}
