namespace KakaoAspire.Contracts;

/// <summary>One user message for the agent-router to answer (webhook → agent-router).</summary>
public sealed record TurnRequest
{
    /// <summary>Unique per Kakao request; the router stores the answer under it until it is delivered.</summary>
    public required string TurnId { get; init; }
    public required string AccountId { get; init; }
    public string Channel { get; init; } = "kakao";
    /// <summary><c>userRequest.user.id</c> as Kakao sent it (case preserved).</summary>
    public required string UserId { get; init; }
    public string? UserType { get; init; }
    public string? BotUserKey { get; init; }
    public string? PlusfriendUserKey { get; init; }
    public string? AppUserId { get; init; }
    public required string Text { get; init; }
}
