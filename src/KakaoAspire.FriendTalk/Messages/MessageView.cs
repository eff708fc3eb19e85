namespace KakaoAspire.FriendTalk.Messages;

/// <summary>The answer of <c>GET /api/v1/messages/{id}</c>; the recipient is masked and the text left out.</summary>
public sealed record MessageView(
    string MessageId,
    string Status,
    string? AccountId,
    string? Provider,
    string? To,
    string? AcceptedAt,
    string? ScheduledFor,
    string? SentAt,
    string? DeliveredAt,
    string? UpdatedAt,
    string? ProviderRequestId,
    string? ProviderCode,
    string? Reason,
    int Attempts);
