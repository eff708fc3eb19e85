namespace KakaoAspire.FriendTalk.Messages;

/// <summary>
/// The 202 answer; a replay of the same idempotency key returns the same one. A message split into parts answers
/// with its first part's id and every part's id in order (<see cref="Parts"/>, absent for one part).
/// </summary>
public sealed record SendMessageResponse(
    string MessageId,
    string Status,
    string Channel,
    string AccountId,
    string Provider,
    string RunId,
    DateTimeOffset? ScheduledFor,
    IReadOnlyList<string>? Parts = null);
