using System.Text.Json.Nodes;

namespace KakaoAspire.TestSupport;

/// <summary>One chat-completions request as the fake OpenAI server received it.</summary>
public sealed record FakeChatRequest(string? Authorization, JsonObject Body)
{
    public string? Model => Body["model"]?.GetValue<string>();

    /// <summary>Every request header (names lowercase), for headers beyond Authorization.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>(role, text) of every message sent, in order; tool messages carry their result text.</summary>
    public IReadOnlyList<(string Role, string Text)> Messages => Body["messages"]?.AsArray()
        .Select(m => (m?["role"]?.GetValue<string>() ?? "", ContentText(m?["content"])))
        .ToList() ?? [];

    public IReadOnlyList<string> ToolNames => Body["tools"]?.AsArray()
        .Select(t => t?["function"]?["name"]?.GetValue<string>() ?? "")
        .ToList() ?? [];

    // Content is a string or an array of parts ({type:"text", text}).
    private static string ContentText(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };
}
