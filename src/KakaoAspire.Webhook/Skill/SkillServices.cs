using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;
using KakaoAspire.Webhook.Metrics;
using KakaoAspire.Webhook.Status;

namespace KakaoAspire.Webhook.Skill;

/// <summary>What the skill endpoint needs around the reply itself, gathered for <c>[AsParameters]</c>.</summary>
public sealed class SkillServices(
    MoltbotConfig config, AccessGate access, SkillReply reply, AccountActivityStore activity, WebhookMetrics metrics,
    RequestLines lines, TimeProvider time, ILogger<SkillServices> logger)
{
    public MoltbotConfig Config { get; } = config;
    public AccessGate Access { get; } = access;
    public SkillReply Reply { get; } = reply;
    public AccountActivityStore Activity { get; } = activity;
    public WebhookMetrics Metrics { get; } = metrics;
    public RequestLines Lines { get; } = lines;
    public TimeProvider Time { get; } = time;
    public ILogger<SkillServices> Logger { get; } = logger;
}
