namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// How the router talks to a Moltbot gateway (config section <c>AgentRouter:MoltbotGateway</c>). Where the gateway is
/// and its token come from the Moltbot config file (<c>channels.kakao.moltbotGateway</c>); these are the timings.
/// </summary>
public sealed class GatewayClientOptions
{
    public const string Section = "AgentRouter:MoltbotGateway";

    /// <summary>Socket open plus <c>connect</c> answered; the gateway itself gives up after 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the <c>connect.challenge</c> event before sending <c>connect</c> anyway.</summary>
    public TimeSpan ChallengeWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a gateway may keep answering "starting" (UNAVAILABLE) before connects count as failed.</summary>
    public TimeSpan StartupWait { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Reconnect backoff cap (1 s doubling, as the gateway's own client does).</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a run's end event, how long its final response may lag before we fetch the answer from history (which
    /// loses the media URLs). A loaded OpenClaw gateway sends the final about a second after the end event.
    /// </summary>
    public TimeSpan FinalResponseGrace { get; set; } = TimeSpan.FromSeconds(5);
}
