namespace KakaoAspire.Moltbot.Config.Parsing;

/// <summary>Every key allowed inside <c>channels.kakao</c>, per level (docs/contracts.md#the-config-file). Anything else is an error.</summary>
internal static class KakaoKeys
{
    public const string Outbound = "outbound";
    public const string Enabled = "enabled";

    /// <summary>Allowed in <c>accounts.&lt;id&gt;</c> and, as base values, directly in <c>channels.kakao</c>.</summary>
    public static readonly IReadOnlyList<string> Account =
    [
        "name", Enabled, "adminKey", "appKey", "channelId", "botId", "senderKey", "toastAppKey", "toastSecretKey",
        "webhookPort", "webhookPath", "webhookSecret", "webhookSecretHeader", "allowUnauthenticatedWebhook", "dmPolicy", "allowFrom",
        "deniedText", "emptyReplyText", "textChunkLimit", "chunkMode", "timeoutSeconds", "replyDeadlineMs",
        "callbackAllowedHosts", "dedupeWindowSeconds", "userRateLimitPerMinute", "userRateLimitBurst", Outbound,
    ];

    public static readonly IReadOnlyList<string> ChannelOnly =
        ["defaultAccount", "apiRateLimitPerMinute", "trustedProxies", "moltbotGateway", "accounts"];

    public static readonly IReadOnlyList<string> Channel = [.. Account, .. ChannelOnly];

    public static readonly IReadOnlyList<string> OutboundKeys =
    [
        "phoneProvider", "nhnBaseUrl", "brandMessageBaseUrl", "eventApiBaseUrl", "eventName", "isAd",
        "nightWindow", "dailyCap", "agentRecipients", "agentSendsPerTurn", "agentSendsPerUserPerDay",
    ];

    public static readonly IReadOnlyList<string> MoltbotGateway = ["url", "token", "transport", "run"];
}
