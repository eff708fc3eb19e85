namespace KakaoAspire.Webhook.Access;

/// <summary>Whether a message goes to the agent; when not, <see cref="Reply"/> is what the user reads instead.</summary>
public sealed record AccessDecision(bool Allowed, string? Reply)
{
    public static readonly AccessDecision Allow = new(true, null);

    public static AccessDecision Deny(string reply) => new(false, reply);
}
