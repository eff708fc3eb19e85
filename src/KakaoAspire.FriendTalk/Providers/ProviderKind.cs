using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Providers;

public enum ProviderKind
{
    FriendtalkCompat,
    BrandMessage,
    EventApi,
}

public static class ProviderKinds
{
    public static string Name(this ProviderKind kind) => kind switch
    {
        ProviderKind.FriendtalkCompat => "friendtalk-compat",
        ProviderKind.BrandMessage => "brand-message",
        _ => "event-api",
    };

    public static ProviderKind Parse(string name) => name switch
    {
        "friendtalk-compat" => ProviderKind.FriendtalkCompat,
        "brand-message" => ProviderKind.BrandMessage,
        "event-api" => ProviderKind.EventApi,
        _ => throw new ArgumentException($"Unknown provider '{name}'.", nameof(name)),
    };

    public static ProviderKind FromConfig(PhoneProvider provider) =>
        provider == PhoneProvider.BrandMessage ? ProviderKind.BrandMessage : ProviderKind.FriendtalkCompat;

    /// <summary>NHN's providers observe the night window and take an idempotency key.</summary>
    public static bool IsNhn(this ProviderKind kind) => kind != ProviderKind.EventApi;
}
