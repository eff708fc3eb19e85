using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// One Kakao bot after merging: the base fields of <c>channels.kakao</c> overridden by
/// <c>channels.kakao.accounts.&lt;id&gt;</c>. Every per-account key (docs/contracts.md#the-config-file), with its default.
/// </summary>
public sealed record KakaoAccountConfig
{
    public const string DefaultId = "default";
    public const int DefaultWebhookPort = 8788;
    public const string DefaultWebhookPath = "/kakao/webhook";
    public const string DefaultWebhookSecretHeader = "X-Moltbot-Webhook-Secret";
    public const string DefaultDeniedText = "이 채널에서는 지금 대화를 받을 수 없어요.";
    public const string DefaultEmptyReplyText = "(답변할 내용이 없어요.)";
    public const int DefaultTextChunkLimit = 1000;
    public const int DefaultTimeoutSeconds = 30;
    public const int DefaultReplyDeadlineMs = 4000;
    public const int DefaultDedupeWindowSeconds = 3;
    public const int DefaultUserRateLimitPerMinute = 20;
    public const int DefaultUserRateLimitBurst = 10;

    /// <summary>Normalized: trimmed, lowercase.</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>Kakao Developers REST API key (the guide's KAKAO_ADMIN_KEY); needed by the Event API.</summary>
    public string? AdminKey { get; init; }

    public string? AppKey { get; init; }

    public string? ChannelId { get; init; }

    /// <summary>Open Builder bot id, needed by the Event API.</summary>
    public string? BotId { get; init; }

    public string? SenderKey { get; init; }

    public string? ToastAppKey { get; init; }

    public string? ToastSecretKey { get; init; }

    public int WebhookPort { get; init; } = DefaultWebhookPort;

    public string WebhookPath { get; init; } = DefaultWebhookPath;

    /// <summary>
    /// Every webhook call must carry it in <see cref="WebhookSecretHeader"/>. From the config, or (after
    /// <see cref="WebhookSecretStore.Apply"/>) generated into the state folder; null only when
    /// <see cref="AllowUnauthenticatedWebhook"/> opts out.
    /// </summary>
    public string? WebhookSecret { get; init; }

    public string WebhookSecretHeader { get; init; } = DefaultWebhookSecretHeader;

    /// <summary>The file a generated <see cref="WebhookSecret"/> lives in; null when the config sets the secret.</summary>
    public string? WebhookSecretFile { get; init; }

    /// <summary>The explicit opt-out of the webhook secret: anyone who can reach the port may post as any user.</summary>
    public bool AllowUnauthenticatedWebhook { get; init; }

    /// <summary>Where the secret comes from: "config", "generated", "none" (opted out) or "pending" (generated at start).</summary>
    public string WebhookSecretSource =>
        AllowUnauthenticatedWebhook ? "none"
        : WebhookSecretFile is not null ? "generated"
        : WebhookSecret is not null ? "config"
        : "pending";

    public DmPolicy DmPolicy { get; init; } = DmPolicy.Open;

    /// <summary>Bare ids (matched against every id type) or typed addresses like <c>kakao:botUserKey:&lt;id&gt;</c>.</summary>
    public IReadOnlyList<string> AllowFrom { get; init; } = [];

    public string DeniedText { get; init; } = DefaultDeniedText;

    public string EmptyReplyText { get; init; } = DefaultEmptyReplyText;

    public int TextChunkLimit { get; init; } = DefaultTextChunkLimit;

    public ChunkMode ChunkMode { get; init; } = ChunkMode.Length;

    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    public int ReplyDeadlineMs { get; init; } = DefaultReplyDeadlineMs;

    /// <summary>Kakao's callback host (docs/kakao-skill-protocol.md#callback: <c>https://bot-api.kakao.com/v1/bots/{botId}/callback/{token}</c>).</summary>
    public const string DefaultCallbackAllowedHost = "bot-api.kakao.com:443";

    /// <summary>
    /// Host names or <c>*.suffix</c> patterns a callbackUrl may point at, each optionally with <c>:port</c>; without
    /// a port only https's own 443 matches. The default names Kakao's one callback host, not every <c>*.kakao.com</c>.
    /// </summary>
    public IReadOnlyList<string> CallbackAllowedHosts { get; init; } = [DefaultCallbackAllowedHost];

    public int DedupeWindowSeconds { get; init; } = DefaultDedupeWindowSeconds;

    /// <summary>Agent turns one user may start per minute (0: no limit); retries of one request count once.</summary>
    public int UserRateLimitPerMinute { get; init; } = DefaultUserRateLimitPerMinute;

    /// <summary>Turns a user may start at once before <see cref="UserRateLimitPerMinute"/> paces them.</summary>
    public int UserRateLimitBurst { get; init; } = DefaultUserRateLimitBurst;

    public OutboundConfig Outbound { get; init; } = new();

    /// <summary>Without it the account is "not configured" for the Event API (not a load error).</summary>
    public bool HasAdminKey => !string.IsNullOrWhiteSpace(AdminKey);

    /// <summary>Friend Talk / brand message via NHN needs all three keys.</summary>
    public bool IsNhnOutboundConfigured =>
        !string.IsNullOrWhiteSpace(SenderKey)
        && !string.IsNullOrWhiteSpace(ToastAppKey)
        && !string.IsNullOrWhiteSpace(ToastSecretKey);

    /// <summary>Kakao's Event API needs the REST API key and the bot id.</summary>
    public bool IsEventApiConfigured => HasAdminKey && !string.IsNullOrWhiteSpace(BotId);

    public override string ToString() =>
        $"KakaoAccountConfig {{ Id = {Id}, Name = {Name}, Enabled = {Enabled}, " +
        $"AdminKey = {Secret.Mask(AdminKey)}, AppKey = {AppKey}, ChannelId = {ChannelId}, BotId = {BotId}, " +
        $"SenderKey = {Secret.Mask(SenderKey)}, ToastAppKey = {Secret.Mask(ToastAppKey)}, " +
        $"ToastSecretKey = {Secret.Mask(ToastSecretKey)}, WebhookPort = {WebhookPort}, WebhookPath = {WebhookPath}, " +
        $"WebhookSecret = {Secret.Mask(WebhookSecret)}, WebhookSecretHeader = {WebhookSecretHeader}, " +
        $"WebhookSecretSource = {WebhookSecretSource}, " +
        $"DmPolicy = {DmPolicy.ToConfigValue()}, AllowFrom = [{string.Join(", ", AllowFrom)}], " +
        $"TextChunkLimit = {TextChunkLimit}, ChunkMode = {ChunkMode.ToConfigValue()}, " +
        $"TimeoutSeconds = {TimeoutSeconds}, ReplyDeadlineMs = {ReplyDeadlineMs}, " +
        $"CallbackAllowedHosts = [{string.Join(", ", CallbackAllowedHosts)}], " +
        $"DedupeWindowSeconds = {DedupeWindowSeconds}, UserRateLimitPerMinute = {UserRateLimitPerMinute}, " +
        $"UserRateLimitBurst = {UserRateLimitBurst}, Outbound = {Outbound} }}";
}
