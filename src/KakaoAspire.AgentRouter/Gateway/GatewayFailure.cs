namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>Why the Moltbot gateway gave no answer, as the operator's log line names it.</summary>
public enum GatewayFailureCause
{
    Unreachable,
    /// <summary>Close 1008: the gateway has another <c>gateway.auth.token</c>.</summary>
    TokenMismatch,
    /// <summary>Close 1008: we had no token to send (the gateway then asks for a device identity).</summary>
    TokenMissing,
    /// <summary>Close 1002: the gateway speaks no protocol within 3–4.</summary>
    ProtocolMismatch,
    /// <summary>Close 1013, UNAVAILABLE: the gateway is still starting; retried after its <c>retryAfterMs</c>.</summary>
    Starting,
    /// <summary>Close 1008, NOT_PAIRED: our device identity waits for <c>openclaw devices approve</c>.</summary>
    PairingRequired,
    /// <summary>Admitted, but without <c>operator.write</c> (another host without an approved device identity).</summary>
    ScopeMissing,
    /// <summary>The stored device token was refused (revoked or rotated); it is forgotten.</summary>
    DeviceTokenRejected,
    /// <summary>The gateway has no agent of that id.</summary>
    UnknownAgent,
    /// <summary>The handshake was refused for another reason (e.g. a schema error).</summary>
    HandshakeRejected,
    /// <summary>The run itself failed, or the <c>agent</c> request was refused (e.g. an unknown agent id).</summary>
    RunError,
    /// <summary>The gateway reported that the run did not finish in time.</summary>
    Timeout,
    /// <summary>The connection dropped and could not be recovered within the turn.</summary>
    ConnectionLost,
}

/// <summary>A gateway failure with its cause and a detail safe to log (the gateway's words, never our token).</summary>
public sealed class MoltbotGatewayException(GatewayFailureCause cause, string detail, TimeSpan? retryAfter = null)
    : Exception($"Moltbot gateway: {CauseText(cause)}: {detail}")
{
    public GatewayFailureCause Cause { get; } = cause;

    /// <summary>For <see cref="GatewayFailureCause.Starting"/>: when the gateway said to try again.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string Detail { get; } = detail;

    public string CauseText() => CauseText(Cause);

    public static string CauseText(GatewayFailureCause cause) => cause switch
    {
        GatewayFailureCause.Unreachable => "unreachable",
        GatewayFailureCause.TokenMismatch => "token mismatch (1008)",
        GatewayFailureCause.TokenMissing => "token missing (1008)",
        GatewayFailureCause.ProtocolMismatch => "protocol mismatch (1002)",
        GatewayFailureCause.Starting => "gateway starting (1013)",
        GatewayFailureCause.PairingRequired => "device not approved yet (1008)",
        GatewayFailureCause.ScopeMissing => "missing scope operator.write",
        GatewayFailureCause.DeviceTokenRejected => "device token rejected (1008)",
        GatewayFailureCause.UnknownAgent => "unknown agent id",
        GatewayFailureCause.HandshakeRejected => "handshake rejected",
        GatewayFailureCause.RunError => "run error",
        GatewayFailureCause.Timeout => "timeout",
        GatewayFailureCause.ConnectionLost => "connection lost",
        _ => cause.ToString(),
    };
}

/// <summary>The socket closed (or failed) while a request waited; the run may still be going on the gateway.</summary>
internal sealed class GatewayConnectionLostException(string detail) : Exception($"Moltbot gateway connection lost: {detail}")
{
    public string Detail { get; } = detail;
}
