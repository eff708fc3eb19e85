namespace KakaoAspire.Moltbot.Config;

/// <summary>Who runs an agent's turns. JSON: "builtin" | "openai" | "moltbot".</summary>
public enum AgentModelProvider
{
    Builtin,
    OpenAI,
    Moltbot,
}
