using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KakaoAspire.Webhook.Metrics;

/// <summary>
/// What an operator watches on the dashboard for the skill server: how each request was answered, how long the reply
/// took against Kakao's 5 s limit, and whether callbacks reached Kakao. Registered through ServiceDefaults' meter prefix.
/// </summary>
public sealed class WebhookMetrics
{
    public const string MeterName = "KakaoAspire.Webhook";

    public const string AccountTag = "kakao.account_id";
    public const string OutcomeTag = "kakao.skill.outcome";
    public const string CallbackResultTag = "kakao.callback.result";

    // Kakao gives up after 5 s; the buckets are fine where the deadline (4 s by default) lives.
    private static readonly double[] ReplyBucketsMs = [25, 50, 100, 250, 500, 1000, 2000, 3000, 3500, 4000, 4500, 5000, 10000];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _replyDuration;
    private readonly Counter<long> _callbacks;

    public WebhookMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("kakao.skill.requests", "{request}",
            "Skill requests by how they were answered: inline, callback, held (the user taps 답변 확인 later), denied, error.");
        _replyDuration = meter.CreateHistogram("kakao.skill.reply.duration", "ms",
            "Time from the request's arrival at the edge to the reply leaving this service.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ReplyBucketsMs });
        _callbacks = meter.CreateCounter<long>("kakao.callback.posts", "{callback}",
            "Callback POSTs to Kakao: posted (Kakao accepted it), refused (Kakao answered with an error), failed (no answer).");
    }

    public void SkillAnswered(string accountId, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { AccountTag, accountId }, { OutcomeTag, outcome } };
        _requests.Add(1, tags);
        _replyDuration.Record(elapsed.TotalMilliseconds, tags);
    }

    public void CallbackPosted(string accountId, bool accepted) =>
        _callbacks.Add(1, new TagList { { AccountTag, accountId }, { CallbackResultTag, accepted ? "posted" : "refused" } });

    public void CallbackFailed(string accountId) =>
        _callbacks.Add(1, new TagList { { AccountTag, accountId }, { CallbackResultTag, "failed" } });
}

/// <summary>The values of <see cref="WebhookMetrics.OutcomeTag"/>.</summary>
public static class SkillOutcome
{
    public const string Inline = "inline";
    public const string Callback = "callback";
    public const string Held = "held";
    public const string Denied = "denied";
    public const string Error = "error";
}
