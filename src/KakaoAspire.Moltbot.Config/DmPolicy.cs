namespace KakaoAspire.Moltbot.Config;

/// <summary>Who may talk to the bot. JSON: "open" (the guide's default) | "allowlist" | "disabled" | "pairing".</summary>
public enum DmPolicy
{
    Open,
    Allowlist,
    Disabled,
    Pairing,
}
