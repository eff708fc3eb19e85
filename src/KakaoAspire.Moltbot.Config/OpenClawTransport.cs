namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// How the agent-router reaches the user's OpenClaw (Moltbot) gateway, <c>channels.kakao.moltbotGateway.transport</c>:
/// "plugin" (the Kakao channel plugin's relay: a real kakao channel message, OpenClaw's bindings and session keys),
/// "operator" (the gateway's WebSocket operator protocol), or "auto" (the plugin when its relay answers, else operator).
/// </summary>
public enum OpenClawTransport
{
    Auto,
    Plugin,
    Operator,
}
