using System.Globalization;

namespace KakaoAspire.Moltbot.Config;

/// <summary>
/// Korea Standard Time (UTC+9, no daylight saving): the night window, the daily caps and every time shown to people
/// run on it.
/// </summary>
public static class Kst
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow().ToOffset(Offset);

    public static string Day(DateTimeOffset instant) => instant.ToOffset(Offset).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateTimeOffset NextMidnight(DateTimeOffset instant)
    {
        var kst = instant.ToOffset(Offset);
        return new DateTimeOffset(kst.Date.AddDays(1), Offset);
    }

    /// <summary>When <paramref name="instant"/> falls inside the window, the window's (next) end; otherwise null.</summary>
    public static DateTimeOffset? NightWindowEnd(NightWindow? window, DateTimeOffset instant)
    {
        var kst = instant.ToOffset(Offset);
        var time = TimeOnly.FromTimeSpan(kst.TimeOfDay);
        if (window is null || !window.Contains(time))
        {
            return null;
        }
        var endToday = new DateTimeOffset(kst.Date + window.End.ToTimeSpan(), Offset);
        return endToday > kst ? endToday : endToday.AddDays(1);
    }

    /// <summary>The stored form: ISO 8601 with milliseconds and the +09:00 offset.</summary>
    public static string Iso(DateTimeOffset instant) => instant.ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The form people read: "2026-11-26 21:00:00 KST", or "never".</summary>
    public static string Format(DateTimeOffset? time) =>
        time is null ? "never" : time.Value.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " KST";

    /// <summary><see cref="Format(DateTimeOffset?)"/> of a stored time; "never" when there is none.</summary>
    public static string Format(string? isoTime) =>
        DateTimeOffset.TryParse(isoTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Format(time)
            : "never";
}
