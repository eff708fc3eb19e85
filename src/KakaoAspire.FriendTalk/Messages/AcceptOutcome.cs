namespace KakaoAspire.FriendTalk.Messages;

public enum AcceptOutcomeKind
{
    Accepted,
    Replayed,
    KeyReusedWithOtherBody,
    DailyCapReached,
}

/// <summary>What the atomic accept script decided.</summary>
public sealed record AcceptOutcome(AcceptOutcomeKind Kind, SendMessageResponse? Response, DateTimeOffset? CapResetsAt = null);
