namespace KakaoAspire.Contracts;

/// <summary>The body of <see cref="InternalPaths.DeliveredTurns"/>: turn ids whose answers reached their users.</summary>
public sealed record DeliveredTurns(IReadOnlyList<string> TurnIds);
