using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Webhook.Access;

/// <summary>
/// Every id Kakao gave for the sender. <see cref="StableId"/> is the one people see and put in allowFrom:
/// the channel-scoped plusfriendUserKey where present, else the bot-scoped <c>user.id</c>.
/// </summary>
public sealed record KakaoUserIds(string UserId, string StableId, string? BotUserKey, string? PlusfriendUserKey, string? AppUserId)
{
    public static KakaoUserIds From(SkillPayload payload)
    {
        var properties = payload.UserRequest?.User?.Properties;
        var userId = payload.UserId ?? throw new ArgumentException("The payload has no user id.", nameof(payload));
        return new(userId, payload.StableUserId ?? userId, properties?.BotUserKey, properties?.PlusfriendUserKey, properties?.AppUserId);
    }

    /// <summary>(type, id) pairs; <c>user.id</c> is a botUserKey.</summary>
    public IEnumerable<(string Type, string Id)> Typed()
    {
        yield return (AllowFromMatcher.BotUserKey, UserId);
        if (!string.IsNullOrEmpty(BotUserKey))
        {
            yield return (AllowFromMatcher.BotUserKey, BotUserKey);
        }
        if (!string.IsNullOrEmpty(PlusfriendUserKey))
        {
            yield return (AllowFromMatcher.PlusfriendUserKey, PlusfriendUserKey);
        }
        if (!string.IsNullOrEmpty(AppUserId))
        {
            yield return (AllowFromMatcher.AppUserId, AppUserId);
        }
    }
}
