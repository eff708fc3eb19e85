using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>What the outbound API's handlers need, gathered for <c>[AsParameters]</c>.</summary>
public sealed class MessageServices(
    MoltbotConfig config, OutboundMessageStore store, TimeProvider time, ILogger<MessageServices> logger,
    Metrics.FriendTalkMetrics metrics)
{
    public MoltbotConfig Config { get; } = config;

    public OutboundMessageStore Store { get; } = store;

    public TimeProvider Time { get; } = time;

    public ILogger<MessageServices> Logger { get; } = logger;

    public Metrics.FriendTalkMetrics Metrics { get; } = metrics;
}
