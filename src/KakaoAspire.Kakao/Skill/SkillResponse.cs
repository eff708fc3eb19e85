using System.Text.Json.Nodes;

namespace KakaoAspire.Kakao.Skill;

// SkillResponse v2.0, the body a skill returns to Open Builder or POSTs to a callbackUrl (docs/kakao-skill-protocol.md#response, #callback).
public sealed record SkillResponse
{
    public const string CurrentVersion = "2.0";

    // Without "2.0" Open Builder reads the body as the legacy format.
    public string Version { get; init; } = CurrentVersion;
    public SkillTemplate? Template { get; init; }
    public ContextControl? Context { get; init; }

    /// <summary>Free-form values a block can show as <c>webhook.*</c> variables.</summary>
    public JsonObject? Data { get; init; }

    /// <summary>True only in the callback acknowledgement; Kakao then ignores the template.</summary>
    public bool? UseCallback { get; init; }

    public static SkillResponseBuilder Create() => new();

    /// <summary>One simpleText bubble, optionally with quick replies.</summary>
    public static SkillResponse Text(string text, params QuickReply[] quickReplies) =>
        Create().AddText(text).AddQuickReplies(quickReplies).Build();

    /// <summary>
    /// The acknowledgement that switches a callback block to asynchronous mode:
    /// <c>{"version":"2.0","useCallback":true,"data":{"text":...}}</c>. The block's waiting bubble can show
    /// <c>data.text</c> through a webhook variable.
    /// </summary>
    public static SkillResponse CallbackAck(string? waitingText = null) => new()
    {
        UseCallback = true,
        Data = waitingText is null ? null : new JsonObject { ["text"] = waitingText },
    };

    /// <summary>Throws <see cref="KakaoLimitException"/> naming the first limit this response breaks.</summary>
    public void Validate() => SkillResponseValidator.Validate(this);
}

public sealed record SkillTemplate
{
    public IReadOnlyList<SkillOutput> Outputs { get; init; } = [];
    public IReadOnlyList<QuickReply>? QuickReplies { get; init; }
}

public sealed record ContextControl
{
    public IReadOnlyList<ContextValue> Values { get; init; } = [];
}

public sealed record ContextValue
{
    public string Name { get; init; } = "";

    // 0 deletes the context.
    public int LifeSpan { get; init; }

    // The unit is undocumented (docs/kakao-skill-protocol.md#response); Kakao's example uses 60.
    public int? Ttl { get; init; }

    // Kakao wants strings only; stringify anything else.
    public IReadOnlyDictionary<string, string>? Params { get; init; }
}
