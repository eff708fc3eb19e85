namespace KakaoAspire.Webhook.Access;

/// <summary>
/// Matches allowFrom entries (docs/contracts.md#user-addresses): <c>*</c>, a bare id (any id type) or a typed address
/// <c>kakao:botUserKey:…</c> / <c>kakao:plusfriendUserKey:…</c> / <c>kakao:appUserId:…</c> (<c>kakao:user:…</c> = botUserKey),
/// with or without the <c>kakao:</c> prefix, case-insensitive.
/// </summary>
public static class AllowFromMatcher
{
    public const string BotUserKey = "botUserKey";
    public const string PlusfriendUserKey = "plusfriendUserKey";
    public const string AppUserId = "appUserId";

    public static bool IsAllowed(IEnumerable<string> allowFrom, KakaoUserIds user) =>
        allowFrom.Any(entry => Matches(entry, user));

    public static bool Matches(string entry, KakaoUserIds user)
    {
        var (type, id) = Parse(entry);
        if (id.Length == 0)
        {
            return false;
        }
        if (id == "*")
        {
            return true;
        }
        return user.Typed().Any(candidate =>
            (type is null || string.Equals(type, candidate.Type, StringComparison.OrdinalIgnoreCase))
            && string.Equals(id, candidate.Id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The id type (null = any) and the id of an allowFrom entry.</summary>
    public static (string? Type, string Id) Parse(string entry)
    {
        var value = entry.Trim();
        foreach (var prefix in new[] { "kakao:", "kk:" })
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                value = value[prefix.Length..];
                break;
            }
        }
        var colon = value.IndexOf(':');
        if (colon > 0)
        {
            var type = value[..colon];
            var id = value[(colon + 1)..].Trim();
            if (type.Equals("user", StringComparison.OrdinalIgnoreCase) || type.Equals(BotUserKey, StringComparison.OrdinalIgnoreCase))
            {
                return (BotUserKey, id);
            }
            if (type.Equals(PlusfriendUserKey, StringComparison.OrdinalIgnoreCase) || type.Equals(AppUserId, StringComparison.OrdinalIgnoreCase))
            {
                return (type.Equals(AppUserId, StringComparison.OrdinalIgnoreCase) ? AppUserId : PlusfriendUserKey, id);
            }
        }
        return (null, value);
    }
}
