using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Sending;

/// <summary>Korea Standard Time (UTC+9, no daylight saving): the night window and the daily cap run on it.</summary>
public static class Kst
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateTimeOffset Now(TimeProvider time) => time.GetUtcNow().ToOffset(Offset);

    public static string Day(DateTimeOffset instant) => instant.ToOffset(Offset).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

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

    public static string Iso(DateTimeOffset instant) => instant.ToOffset(Offset).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);
}
