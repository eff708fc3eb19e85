using System.Text.Json;
using System.Text.Json.Serialization;

namespace KakaoAspire.Kakao.Skill;

// The request Open Builder POSTs to a skill (docs/kakao-skill-protocol.md#request). Kakao documents no field as required,
// so everything is nullable here; SkillJson.ParsePayload checks the two fields a skill cannot work without.
public sealed record SkillPayload
{
    public SkillIntent? Intent { get; init; }
    public SkillUserRequest? UserRequest { get; init; }
    public SkillBot? Bot { get; init; }
    public SkillAction? Action { get; init; }
    public IReadOnlyList<SkillContext>? Contexts { get; init; }
    public SkillFlow? Flow { get; init; }

    /// <summary>The bot-scoped botUserKey (<c>userRequest.user.id</c>); the same person has another id in another bot.</summary>
    [JsonIgnore]
    public string? UserId => UserRequest?.User?.Id;

    /// <summary>The channel-scoped plusfriendUserKey when Kakao sent it, else <see cref="UserId"/>.</summary>
    [JsonIgnore]
    public string? StableUserId =>
        string.IsNullOrEmpty(UserRequest?.User?.Properties?.PlusfriendUserKey)
            ? UserId
            : UserRequest.User.Properties.PlusfriendUserKey;

    /// <summary>The one-time callback URL; present only when the matched block has Callback enabled (docs/kakao-skill-protocol.md#callback).</summary>
    [JsonIgnore]
    public string? CallbackUrl => UserRequest?.CallbackUrl;

    [JsonIgnore]
    public string? Utterance => UserRequest?.Utterance;
}

public sealed record SkillIntent
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public SkillIntentExtra? Extra { get; init; }
}

public sealed record SkillIntentExtra
{
    public SkillIntentReason? Reason { get; init; }

    // Only 지식+ matches carry "knowledge"; its shape is kept raw with anything else Kakao adds.
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed record SkillIntentReason
{
    public int? Code { get; init; }
    public string? Message { get; init; }
}

public sealed record SkillUserRequest
{
    public string? Timezone { get; init; }
    public IReadOnlyDictionary<string, string>? Params { get; init; }
    public SkillBlock? Block { get; init; }
    public string? Utterance { get; init; }
    public string? Lang { get; init; }
    public SkillUser? User { get; init; }
    public string? CallbackUrl { get; init; }
}

public sealed record SkillBlock
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

public sealed record SkillUser
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public SkillUserProperties? Properties { get; init; }
}

public sealed record SkillUserProperties
{
    public string? BotUserKey { get; init; }
    public string? PlusfriendUserKey { get; init; }
    public string? AppUserId { get; init; }

    // Kakao sends isFriend only when the user added the channel; absent means "not a friend or blocked".
    public bool? IsFriend { get; init; }

    // Real payloads carry duplicates such as bot_user_key, plusfriend_user_key, accountId (docs/kakao-skill-protocol.md#request).
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed record SkillBot
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

public sealed record SkillAction
{
    public string? Id { get; init; }
    public string? Name { get; init; }

    // System entities arrive as JSON text inside the string (sys_date = "{\"date\": ...}").
    public IReadOnlyDictionary<string, string?>? Params { get; init; }
    public IReadOnlyDictionary<string, SkillDetailParam>? DetailParams { get; init; }

    // The "extra" of the button or quick reply the user tapped. Kept raw: the docs show {}, null,
    // and v1 even sent the string "null", so a typed dictionary would reject real traffic.
    public JsonElement? ClientExtra { get; init; }

    public bool TryGetClientExtra(string key, out JsonElement value)
    {
        if (ClientExtra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty(key, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}

public sealed record SkillDetailParam
{
    public string? Origin { get; init; }
    public string? Value { get; init; }
    public string? GroupName { get; init; }
}

// The item shape of contexts is not documented (docs/kakao-skill-protocol.md#request), so params stay raw.
public sealed record SkillContext
{
    public string? Name { get; init; }
    public int? LifeSpan { get; init; }
    public int? Ttl { get; init; }
    public JsonElement? Params { get; init; }
}

public sealed record SkillFlow
{
    public SkillTrigger? Trigger { get; init; }
    public SkillBlock? LastBlock { get; init; }
}

public sealed record SkillTrigger
{
    /// <summary>TEXT_INPUT, CARD_BUTTON_MESSAGE, QUICKREPLY_BUTTON_BLOCK, ... (docs/kakao-skill-protocol.md#request).</summary>
    public string? Type { get; init; }
    public SkillBlock? ReferrerBlock { get; init; }
}
