using System.Text.Json.Nodes;
using KakaoAspire.Kakao.Text;

namespace KakaoAspire.Kakao.Skill;

/// <summary>
/// Builds a SkillResponse step by step; <see cref="Build"/> validates it.
/// <code>SkillResponse.Create().AddText("안녕하세요").AddQuickReply(QuickReply.Message("도움말")).Build()</code>
/// </summary>
public sealed class SkillResponseBuilder
{
    private readonly List<SkillOutput> _outputs = [];
    private readonly List<QuickReply> _quickReplies = [];
    private readonly List<ContextValue> _contexts = [];
    private JsonObject? _data;
    private bool _useCallback;

    public SkillResponseBuilder AddOutput(SkillOutput output)
    {
        _outputs.Add(output);
        return this;
    }

    public SkillResponseBuilder AddText(string text) => AddOutput(new SimpleText(text));

    public SkillResponseBuilder AddTexts(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            AddText(text);
        }

        return this;
    }

    /// <summary>
    /// Adds <paramref name="text"/> as as many simpleText outputs as <see cref="KakaoTextChunker"/> makes of it.
    /// More than 3 chunks fail in <see cref="Build"/> rather than being dropped silently.
    /// </summary>
    public SkillResponseBuilder AddChunkedText(string text, int limit = KakaoLimits.MaxSimpleText, ChunkMode mode = ChunkMode.Length) =>
        AddTexts(KakaoTextChunker.Chunk(text, limit, mode));

    public SkillResponseBuilder AddImage(string imageUrl, string? altText = null) => AddOutput(new SimpleImage(imageUrl, altText));

    public SkillResponseBuilder AddQuickReply(QuickReply quickReply)
    {
        _quickReplies.Add(quickReply);
        return this;
    }

    public SkillResponseBuilder AddQuickReplies(IEnumerable<QuickReply> quickReplies)
    {
        _quickReplies.AddRange(quickReplies);
        return this;
    }

    public SkillResponseBuilder AddContext(string name, int lifeSpan, int? ttl = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        _contexts.Add(new ContextValue { Name = name, LifeSpan = lifeSpan, Ttl = ttl, Params = parameters });
        return this;
    }

    public SkillResponseBuilder WithData(string key, JsonNode? value)
    {
        _data ??= [];
        _data[key] = value;
        return this;
    }

    /// <summary>Marks the response as the callback acknowledgement (docs/kakao-skill-protocol.md#callback).</summary>
    public SkillResponseBuilder UseCallback(bool useCallback = true)
    {
        _useCallback = useCallback;
        return this;
    }

    /// <summary>The response, without validation.</summary>
    public SkillResponse ToResponse() => new()
    {
        Template = _outputs.Count == 0 && _quickReplies.Count == 0
            ? null
            : new SkillTemplate { Outputs = [.. _outputs], QuickReplies = _quickReplies.Count == 0 ? null : [.. _quickReplies] },
        Context = _contexts.Count == 0 ? null : new ContextControl { Values = [.. _contexts] },
        Data = (JsonObject?)_data?.DeepClone(),
        UseCallback = _useCallback ? true : null,
    };

    /// <exception cref="KakaoLimitException">The response breaks a Kakao limit.</exception>
    public SkillResponse Build()
    {
        var response = ToResponse();
        response.Validate();
        return response;
    }
}
