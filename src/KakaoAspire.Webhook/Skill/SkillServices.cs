using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;
using KakaoAspire.Webhook.Answers;
using KakaoAspire.Webhook.Deadline;
using KakaoAspire.Webhook.Dedupe;
using KakaoAspire.Webhook.Metrics;
using KakaoAspire.Webhook.Limits;
using KakaoAspire.Webhook.Status;

namespace KakaoAspire.Webhook.Skill;

/// <summary>What the skill endpoint needs, gathered for <c>[AsParameters]</c>.</summary>
public sealed class SkillServices(
    MoltbotConfig config, AgentRouterClient router, RunningTurns running, TurnAnswers answers, HeldAnswers held,
    AccessGate access, DedupeStore dedupe, AnswerRenderer renderer, MorePagesStore pages, AccountActivityStore activity,
    CallbackQueue callbacks, WebhookMetrics metrics, UserTurnLimiter limiter, IHostEnvironment environment, TimeProvider time, ILogger<SkillServices> logger)
{
    public MoltbotConfig Config { get; } = config;
    public AgentRouterClient Router { get; } = router;
    public RunningTurns Running { get; } = running;
    public TurnAnswers Answers { get; } = answers;
    public HeldAnswers Held { get; } = held;
    public AccessGate Access { get; } = access;
    public DedupeStore Dedupe { get; } = dedupe;
    public AnswerRenderer Renderer { get; } = renderer;
    public MorePagesStore Pages { get; } = pages;
    public AccountActivityStore Activity { get; } = activity;
    public CallbackQueue Callbacks { get; } = callbacks;
    public WebhookMetrics Metrics { get; } = metrics;
    public UserTurnLimiter Limiter { get; } = limiter;
    public IHostEnvironment Environment { get; } = environment;
    public TimeProvider Time { get; } = time;
    public ILogger<SkillServices> Logger { get; } = logger;

    /// <summary>Plain http callbacks to loopback are for the simulator and tests only.</summary>
    public bool AllowsLoopbackHttpCallbacks => Environment.IsDevelopment() || Environment.IsEnvironment("Testing");
}
