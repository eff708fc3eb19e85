namespace KakaoAspire.FriendTalk.Messages;

/// <summary>Reads <c>to</c>: a phone number (NHN) or <c>kakao:&lt;type&gt;:&lt;id&gt;</c> (Event API).</summary>
public static class RecipientParser
{
    public const string Fix =
        "use a Korean mobile number (010-1234-5678, +82 10-1234-5678) or kakao:botUserKey:<id>, " +
        "kakao:plusfriendUserKey:<id>, kakao:appUserId:<id> (kakao:user:<id> = botUserKey)";

    private static readonly Dictionary<string, RecipientKind> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["botUserKey"] = RecipientKind.BotUserKey,
        ["user"] = RecipientKind.BotUserKey,
        ["plusfriendUserKey"] = RecipientKind.PlusfriendUserKey,
        ["appUserId"] = RecipientKind.AppUserId,
    };

    public static bool TryParse(string? to, out Recipient? recipient, out string error)
    {
        recipient = null;
        error = "";
        if (string.IsNullOrWhiteSpace(to))
        {
            error = $"'to' is required: {Fix}.";
            return false;
        }

        var text = to.Trim();
        if (text.StartsWith("kakao:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = text.Split(':', 3);
            if (parts.Length != 3 || !Types.TryGetValue(parts[1], out var kind))
            {
                error = $"'{text}' has an unknown Kakao address type: {Fix}.";
                return false;
            }
            var id = parts[2];
            if (id.Length == 0 || id.Length > 100 || id.Any(char.IsWhiteSpace))
            {
                error = $"'{text}' has an empty or malformed id (no spaces, at most 100 characters): {Fix}.";
                return false;
            }
            recipient = new Recipient(kind, id);
            return true;
        }

        if (PhoneNumber.TryNormalize(text, out var digits))
        {
            recipient = new Recipient(RecipientKind.Phone, digits);
            return true;
        }

        error = $"'{text}' is neither a Korean mobile number nor a Kakao address: {Fix}.";
        return false;
    }
}
