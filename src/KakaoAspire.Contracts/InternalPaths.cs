namespace KakaoAspire.Contracts;

/// <summary>Paths only our own services call on each other; none is reachable from outside.</summary>
public static class InternalPaths
{
    /// <summary>The webhook's one skill path: the edge rewrites every account's public webhookPath to it.</summary>
    public const string Skill = "/kakao/skill";

    /// <summary>The agent-router's turns: POST runs one, GET <c>{Turns}/{turnId}</c> fetches its answer.</summary>
    public const string Turns = "/internal/turns";

    /// <summary>
    /// POST a <see cref="DeliveredTurns"/>: the webhook delivered these answers to their users, so the agent-router forgets
    /// them (204 whether or not they were still stored). One call for many turns, so a busy webhook sends few.
    /// </summary>
    public const string DeliveredTurns = Turns + "/delivered";

    /// <summary>One turn's answer at the agent-router.</summary>
    public static string Turn(string turnId) => $"{Turns}/{turnId}";
}
