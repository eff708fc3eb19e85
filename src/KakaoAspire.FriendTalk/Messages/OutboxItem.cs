namespace KakaoAspire.FriendTalk.Messages;

/// <summary>One recently accepted message as the local simulator's side panel shows it: the recipient masked, never the payload.</summary>
public sealed record OutboxItem(
    string Id, string? Status, string? To, string? Message, string? Reason, string? Provider, string? AccountId, string? AcceptedAt);
