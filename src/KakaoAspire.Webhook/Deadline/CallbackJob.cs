namespace KakaoAspire.Webhook.Deadline;

/// <summary>
/// A turn that missed the inline reply and answers through the request's callbackUrl. Kept in Redis (not in one
/// process), so any webhook replica can post it; times are wall-clock because replicas do not share a stopwatch.
/// </summary>
public sealed record CallbackJob(
    string AccountId,
    string UserId,
    string TurnId,
    string CallbackUrl,
    DateTimeOffset ArrivedAt,
    DateTimeOffset AckedAt);

/// <summary>What a replica holds after claiming a job: the job, and the body already being posted when its owner died mid-POST.</summary>
public sealed record ClaimedCallback(CallbackJob Job, string? PostingBody, string? PostingMode);
