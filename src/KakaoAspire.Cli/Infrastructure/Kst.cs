using System.Globalization;

namespace KakaoAspire.Cli;

/// <summary>Times shown to people are Korean Standard Time (UTC+9, no daylight saving).</summary>
public static class Kst
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static string Format(DateTimeOffset? time) =>
        time is null ? "never" : time.Value.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " KST";

    public static string Format(string? isoTime) =>
        DateTimeOffset.TryParse(isoTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? Format(time)
            : "never";
}
