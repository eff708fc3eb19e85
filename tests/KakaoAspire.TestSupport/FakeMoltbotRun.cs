using System.Text.Json.Nodes;

namespace KakaoAspire.TestSupport;

/// <summary>One <c>agent</c> run the fake Moltbot gateway started (a replay by idempotency key starts none).</summary>
public sealed record FakeMoltbotRun(string IdempotencyKey, string? SessionKey, string? AgentId, string Message, JsonObject Params)
{
    public string? Channel => Params["channel"]?.GetValue<string>();

    public bool? Deliver => Params["deliver"]?.GetValue<bool>();

    public int? Timeout => Params["timeout"]?.GetValue<int>();

    public string? ExtraSystemPrompt => Params["extraSystemPrompt"]?.GetValue<string>();
}

/// <summary>What the fake gateway's agent answers: payload texts and media URLs, a run error, or a run that timed out.</summary>
public sealed record FakeMoltbotReply(IReadOnlyList<string> Texts, IReadOnlyList<string>? MediaUrls = null, string? Error = null, bool TimesOut = false)
{
    /// <summary>The run hit its timeout: <c>status: "timeout"</c> with the gateway's English text as an <c>isError</c> payload.</summary>
    public static FakeMoltbotReply TimedOut() => new([], TimesOut: true);

    public static FakeMoltbotReply Text(params string[] texts) => new(texts);

    /// <summary>The agent answered NO_REPLY: no payloads at all.</summary>
    public static FakeMoltbotReply Silent() => new([]);

    public static FakeMoltbotReply Failed(string error) => new([], Error: error);
}
