using System.Buffers;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Webhook.Limits;

/// <summary>
/// What the skill endpoint accepts beyond the protocol's shape. Ids become Redis keys, session keys and allowFrom
/// matches, so they are short and plain; an utterance is bounded so one message cannot fill a session or a model's
/// context (and cost) with megabytes.
/// </summary>
public static class SkillInputRules
{
    /// <summary>Kakao's ids are at most 70 characters (botUserKey); the bound leaves room without inviting abuse.</summary>
    public const int MaxIdLength = 128;

    public const int MaxUtteranceLength = 2000;

    public static readonly string UtteranceTooLong =
        $"메시지가 너무 길어요. {MaxUtteranceLength:N0}자 이내로 나눠서 보내 주세요.";

    // Kakao's ids are hex (botUserKey), letters and digits (plusfriendUserKey) or digits (appUserId). No ':' (the
    // separator of typed addresses and session keys), no whitespace, nothing outside ASCII.
    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/");

    /// <summary>The first id of the payload that is too long or has other characters: its JSON path and why.</summary>
    public static (string Field, string Error)? InvalidId(SkillPayload payload)
    {
        var user = payload.UserRequest?.User;
        var properties = user?.Properties;
        foreach (var (field, value) in new[]
        {
            ("userRequest.user.id", user?.Id),
            ("userRequest.user.properties.botUserKey", properties?.BotUserKey),
            ("userRequest.user.properties.plusfriendUserKey", properties?.PlusfriendUserKey),
            ("userRequest.user.properties.appUserId", properties?.AppUserId),
        })
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            if (value.Length > MaxIdLength)
            {
                return (field, $"{field} is {value.Length} characters long; Kakao's ids are at most {MaxIdLength}.");
            }
            if (value.AsSpan().ContainsAnyExcept(IdCharacters))
            {
                return (field, $"{field} may contain only ASCII letters, digits and - _ . = + / (Kakao's ids do).");
            }
        }
        return null;
    }

    public static bool IsUtteranceTooLong(SkillPayload payload) => payload.Utterance!.Length > MaxUtteranceLength;
}
