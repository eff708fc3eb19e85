using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>A turn that missed the inline reply and answers through the request's callbackUrl.</summary>
public sealed record CallbackJob(
    KakaoAccountConfig Account,
    KakaoUserIds User,
    string TurnId,
    string CallbackUrl,
    Task<TurnResponse> Turn,
    long ArrivalTimestamp,
    long AckTimestamp);
