namespace KakaoAspire.Webhook.Tests;

/// <summary>One Moltbot config with an account per behaviour under test.</summary>
public static class TestConfig
{
    public const string Token = "test-gateway-token-0123456789";
    public const string WebhookSecret = "s3cret-webhook-value";
    /// <summary>The base webhookSecret every other account inherits (the webhook requires one on every account).</summary>
    public const string SharedSecret = "shared-webhook-secret-4711";
    public const string SecretHeader = "X-Moltbot-Webhook-Secret";
    public const string DeniedText = "지금은 대화를 받을 수 없어요 (테스트).";
    public const string EmptyText = "(테스트: 답변 없음)";

    public const string Open = "default";
    public const string Secret = "secret";
    public const string Allow = "allow";
    public const string Off = "off";
    public const string Pair = "pair";
    public const string Fast = "fast";
    public const string PairFull = "pairfull";

    public static string SecretFor(string account) => account == Secret ? WebhookSecret : SharedSecret;

    public static string Json => $$"""
    {
      "gateway": { "auth": { "token": "{{Token}}" } },
      "channels": { "kakao": {
        "webhookSecret": "{{SharedSecret}}",
        "deniedText": "{{DeniedText}}",
        "emptyReplyText": "{{EmptyText}}",
        "accounts": {
          "default": { "name": "Open bot", "webhookPort": 9101 },
          "secret": { "webhookPort": 9102, "webhookSecret": "{{WebhookSecret}}" },
          "allow": { "webhookPort": 9103, "dmPolicy": "allowlist",
                     "allowFrom": ["bare-id", "kakao:plusfriendUserKey:PF-Key-1", "KAKAO:appUserId:app-1", "botUserKey:typed-bot", "kakao:user:user-form"] },
          "off": { "webhookPort": 9104, "dmPolicy": "disabled" },
          "pair": { "webhookPort": 9105, "dmPolicy": "pairing" },
          "pairfull": { "webhookPort": 9107, "dmPolicy": "pairing" },
          "fast": { "webhookPort": 9106, "replyDeadlineMs": 1000, "timeoutSeconds": 120, "dedupeWindowSeconds": 3 }
        }
      } }
    }
    """;
}
