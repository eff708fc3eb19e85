using System.Text.RegularExpressions;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>Korean mobile numbers in the forms people write them, normalized to the digits NHN takes.</summary>
public static partial class PhoneNumber
{
    /// <summary>
    /// <c>+82 10-1234-5678</c>, <c>+82 (0)10 1234 5678</c>, <c>0082-10-…</c>, <c>010-1234-5678</c>,
    /// <c>010.1234.5678</c>, <c>01012345678</c> → <c>01012345678</c>. Only mobile numbers (01x): Kakao
    /// messages reach KakaoTalk users, who sign up with a mobile number.
    /// </summary>
    public static bool TryNormalize(string? text, out string digits)
    {
        digits = "";
        if (string.IsNullOrWhiteSpace(text) || !Allowed().IsMatch(text.Trim()))
        {
            return false;
        }

        var compact = Separators().Replace(text.Trim(), "");
        string national;
        if (compact.StartsWith("+82", StringComparison.Ordinal))
        {
            national = compact[3..];
        }
        else if (compact.StartsWith("0082", StringComparison.Ordinal))
        {
            national = compact[4..];
        }
        else if (compact.StartsWith('+'))
        {
            return false;
        }
        else
        {
            national = compact.TrimStart('0') == compact ? "" : compact[1..];
        }

        national = national.StartsWith('0') ? national[1..] : national;
        var candidate = "0" + national;
        if (!Mobile().IsMatch(candidate))
        {
            return false;
        }

        digits = candidate;
        return true;
    }

    /// <summary>Everything but the last 4 characters as <c>*</c>.</summary>
    public static string Mask(string value) =>
        value.Length <= 4 ? new string('*', value.Length) : new string('*', value.Length - 4) + value[^4..];

    [GeneratedRegex(@"^\+?[0-9 ().\-]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex(@"[ ().\-]")]
    private static partial Regex Separators();

    // 010 numbers have had 8 digits after the prefix since 2004; the old 011/016–019 ranges also have 7.
    [GeneratedRegex(@"^(010[0-9]{8}|01[16789][0-9]{7,8})$")]
    private static partial Regex Mobile();
}
