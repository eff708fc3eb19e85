using System.Globalization;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// Hours (KST) when NHN providers must not send ads-like messages, from "HH:mm-HH:mm".
/// The window may cross midnight ("20:50-08:00").
/// </summary>
public sealed record NightWindow(TimeOnly Start, TimeOnly End, string Raw)
{
    public const string Default = "20:50-08:00";

    public static bool TryParse(string? text, out NightWindow? window)
    {
        window = null;
        var parts = text?.Split('-');
        if (parts is not { Length: 2 }
            || !TryParseTime(parts[0], out var start)
            || !TryParseTime(parts[1], out var end))
        {
            return false;
        }

        window = new NightWindow(start, end, text!);
        return true;
    }

    /// <summary>True when <paramref name="time"/> (KST) falls inside the window; the end is exclusive.</summary>
    public bool Contains(TimeOnly time) =>
        Start <= End ? time >= Start && time < End : time >= Start || time < End;

    public override string ToString() => Raw;

    private static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
