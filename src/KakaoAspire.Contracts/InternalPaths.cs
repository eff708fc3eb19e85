namespace KakaoAspire.Contracts;

/// <summary>Paths only our own services call on each other; none is reachable from outside.</summary>
public static class InternalPaths
{
    /// <summary>The webhook's one skill path: the edge rewrites every account's public webhookPath to it.</summary>
    public const string Skill = "/kakao/skill";

    /// <summary>The agent-router's turns: POST runs one, GET <c>{Turns}/{turnId}</c> fetches its answer.</summary>
    public const string Turns = "/internal/turns";

    /// <summary>One turn's answer at the agent-router.</summary>
    public static string Turn(string turnId) => $"{Turns}/{turnId}";
}
