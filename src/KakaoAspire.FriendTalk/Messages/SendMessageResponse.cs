namespace KakaoAspire.FriendTalk.Messages;

/// <summary>The 202 answer; a replay of the same idempotency key returns the same one.</summary>
public sealed record SendMessageResponse(
    string MessageId,
    string Status,
    string Channel,
    string AccountId,
    string Provider,
    string RunId,
    DateTimeOffset? ScheduledFor);
