namespace KakaoAspire.Moltbot.Config;

/// <summary><c>session.dmScope</c>: how DM session keys are built (docs/moltbot-channel-rules.md#session-keys).</summary>
public sealed record SessionSection
{
    // Moltbot defaults to "main"; a public Kakao channel must not let strangers share one session.
    public const string DefaultDmScope = "per-account-channel-peer";

    public string DmScope { get; init; } = DefaultDmScope;
}
