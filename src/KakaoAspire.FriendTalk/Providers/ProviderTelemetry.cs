using System.Diagnostics;

namespace KakaoAspire.FriendTalk.Providers;

/// <summary>
/// A span per provider call (send, reconciling lookup, delivery poll) with the provider, the batch size and the result
/// code. Never a key, a phone number or message text: those stay in the request, which only the HTTP span (its URL
/// redacted) sits under.
/// </summary>
public static class ProviderTelemetry
{
    public const string SourceName = "KakaoAspire.FriendTalk.Providers";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? Start(string operation, ProviderKind provider, string accountId, int batchSize, int? attempt = null)
    {
        var activity = Source.StartActivity($"{provider.Name()} {operation}", ActivityKind.Client);
        activity?.SetTag("kakao.outbound.provider", provider.Name());
        activity?.SetTag("kakao.account_id", accountId);
        activity?.SetTag("kakao.outbound.batch_size", batchSize);
        if (attempt is { } n)
        {
            activity?.SetTag("kakao.outbound.attempt", n);
        }
        return activity;
    }

    public static void Sent(Activity? activity, SendOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("kakao.outbound.outcome", outcome.Kind.ToString().ToLowerInvariant());
        activity.SetTag("kakao.outbound.result_code", outcome.Code);
        if (outcome.Kind is not (SendOutcomeKind.Accepted or SendOutcomeKind.Duplicate))
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome.Reason);
        }
    }

    public static void Delivery(Activity? activity, DeliveryResult result)
    {
        activity?.SetTag("kakao.outbound.delivery", result.State.ToString().ToLowerInvariant());
        activity?.SetTag("kakao.outbound.result_code", result.Code);
    }

    public static void Failed(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
}
