namespace KakaoAspire.FriendTalk.Providers;

/// <summary>NHN's API result codes and Kakao's delivery codes, classified as docs/nhn-and-event-api.md#result-codes-and-what-the-sender-does says, with readable reasons.</summary>
public static class NhnResultCodes
{
    public const int Success = 0;
    public const int IdempotencyKeyReused = -1005;
    public const int DailyVolumeExceeded = -1017;

    private static readonly HashSet<int> Transient = [-9999, -7000, -8010];

    private static readonly HashSet<string> TransientDelivery = ["2001", "3000", "3006", "3010", "3012", "9998", "9999"];

    private static readonly Dictionary<string, string> Reasons = new()
    {
        ["0"] = "accepted",
        ["-1000"] = "the appkey is invalid (toastAppKey)",
        ["-1001"] = "the secret key is invalid (toastSecretKey)",
        ["-1005"] = "the idempotency key was already used",
        ["-1006"] = "the request is not allowed for this appkey",
        ["-1017"] = "NHN's daily sending volume is used up",
        ["-1027"] = "the sender profile is blocked",
        ["-1031"] = "every recipient failed",
        ["-2017"] = "the sender profile (senderKey) does not exist",
        ["-2018"] = "a button is invalid",
        ["-2023"] = "the text is over 400 characters with an image",
        ["-2024"] = "the text is too long",
        ["-4002"] = "the appkey is not in service",
        ["-4004"] = "the appkey is not in service",
        ["-4005"] = "the appkey is not in service",
        ["-5000"] = "the recipient number is invalid",
        ["-4019"] = "the recipient number is invalid",
        ["-8008"] = "the text contains a banned word",
        ["-9992"] = "NHN no longer serves this API; migrate to brand-message (outbound.phoneProvider)",
        ["-9996"] = "the content type is not accepted",
        ["-9999"] = "NHN had a system error",
        ["1000"] = "delivered",
        ["3005"] = "sent, but KakaoTalk did not confirm receipt",
        ["3008"] = "the phone number is not valid for KakaoTalk",
        ["3014"] = "the message is too long for KakaoTalk",
        ["3018"] = "the message cannot be sent to this user (withdrawn, not a KakaoTalk user, or blocked)",
        ["3022"] = "it is inside the night block (20:50-08:00 KST)",
        ["2001"] = "KakaoTalk had a passing error",
        ["3000"] = "KakaoTalk had a passing error",
        ["3006"] = "KakaoTalk had a passing error",
        ["3010"] = "KakaoTalk had a passing error",
        ["3012"] = "KakaoTalk had a passing error",
        ["9998"] = "KakaoTalk had a passing error",
        ["9999"] = "KakaoTalk had a passing error",
        ["3032"] = "the message is too long for KakaoTalk",
        ["3050"] = "the recipient has not added the channel as a friend",
        ["3060"] = "sent, but KakaoTalk did not confirm receipt",
        ["1021"] = "the channel is blocked",
        ["1022"] = "the channel is closed",
        ["1023"] = "the channel is deleted",
        ["1024"] = "the channel is blocked",
        ["1025"] = "the channel is blocked",
    };

    public static string Describe(string code, string? providerMessage = null) =>
        Reasons.TryGetValue(code, out var reason)
            ? $"{reason} ({code})"
            : string.IsNullOrWhiteSpace(providerMessage) ? $"NHN result {code}" : $"{providerMessage} ({code})";

    /// <summary>The class of a whole-request (header) result code.</summary>
    public static SendOutcomeKind Classify(int code) => code switch
    {
        Success => SendOutcomeKind.Accepted,
        IdempotencyKeyReused => SendOutcomeKind.Duplicate,
        DailyVolumeExceeded => SendOutcomeKind.Quota,
        _ when Transient.Contains(code) => SendOutcomeKind.Transient,
        _ => SendOutcomeKind.Failed,
    };

    /// <summary>A delivery result (query API): Kakao's code and NHN's messageStatus.</summary>
    public static DeliveryResult Delivery(string? messageStatus, string? code, string? codeName)
    {
        var c = string.IsNullOrWhiteSpace(code) ? null : code;
        if (c is "3005" or "3060")
        {
            return new DeliveryResult(DeliveryState.Unconfirmed, c, Describe(c, codeName));
        }
        if (messageStatus?.ToUpperInvariant() is "FAILED" or "COMPLETED" && c is not null)
        {
            if (c == "3022")
            {
                return new DeliveryResult(DeliveryState.NightBlocked, c, Describe(c, codeName));
            }
            if (TransientDelivery.Contains(c))
            {
                return new DeliveryResult(DeliveryState.RetryableFailure, c, Describe(c, codeName));
            }
        }
        return messageStatus?.ToUpperInvariant() switch
        {
            "COMPLETED" when c is null or "1000" or "0" or "MRC01" => new DeliveryResult(DeliveryState.Delivered, c, "delivered"),
            "COMPLETED" or "FAILED" => new DeliveryResult(DeliveryState.Failed, c, Describe(c ?? "unknown", codeName)),
            "CANCEL" => new DeliveryResult(DeliveryState.Failed, c, "the scheduled send was cancelled"),
            _ => new DeliveryResult(DeliveryState.Pending, c, "waiting for KakaoTalk's result"),
        };
    }
}
