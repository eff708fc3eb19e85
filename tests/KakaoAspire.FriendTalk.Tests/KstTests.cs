using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Sending;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Tests;

public sealed class KstTests
{
    private static readonly TimeSpan Nine = TimeSpan.FromHours(9);
    private static readonly NightWindow Window = new(new TimeOnly(20, 50), new TimeOnly(8, 0), "20:50-08:00");

    [Theory]
    [InlineData(20, 49, null)]
    [InlineData(20, 50, "2026-11-27 08:00")]
    [InlineData(23, 59, "2026-11-27 08:00")]
    [InlineData(0, 0, "2026-11-26 08:00")]
    [InlineData(7, 59, "2026-11-26 08:00")]
    [InlineData(8, 0, null)]
    [InlineData(12, 0, null)]
    public void TheNightWindowEndsAtItsNextEndInKst(int hour, int minute, string? end)
    {
        var at = new DateTimeOffset(2026, 11, 26, hour, minute, 0, Nine).ToUniversalTime();
        var expected = end is null ? (DateTimeOffset?)null
            : DateTimeOffset.ParseExact(end + " +09:00", "yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, Kst.NightWindowEnd(Window, at));
    }

    [Fact]
    public void NoWindowMeansNoWait() =>
        Assert.Null(Kst.NightWindowEnd(null, new DateTimeOffset(2026, 11, 26, 23, 0, 0, Nine)));

    [Fact]
    public void TheDailyCapResetsAtMidnightKstNotUtc()
    {
        // 2026-11-26 23:30 UTC is already 2026-11-27 08:30 KST.
        var at = new DateTimeOffset(2026, 11, 26, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal("20261127", Kst.Day(at));
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, Nine), Kst.NextMidnight(at));
    }

    [Fact]
    public void BackoffGrowsIsCappedAndJittered()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => Backoff.For(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60))).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
        Assert.True(delays.Distinct().Count() > 1);
        Assert.InRange(Backoff.For(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData(0, SendOutcomeKind.Accepted)]
    [InlineData(-1005, SendOutcomeKind.Duplicate)]
    [InlineData(-1017, SendOutcomeKind.Quota)]
    [InlineData(-9999, SendOutcomeKind.Transient)]
    [InlineData(-7000, SendOutcomeKind.Transient)]
    [InlineData(-1001, SendOutcomeKind.Failed)]
    [InlineData(-2024, SendOutcomeKind.Failed)]
    public void NhnResultCodesFallIntoTheirClass(int code, SendOutcomeKind kind) =>
        Assert.Equal(kind, NhnResultCodes.Classify(code));

    [Theory]
    [InlineData("COMPLETED", "1000", DeliveryState.Delivered)]
    [InlineData("FAILED", "3050", DeliveryState.Failed)]
    [InlineData("COMPLETED", "3060", DeliveryState.Unconfirmed)]
    [InlineData("FAILED", "3005", DeliveryState.Unconfirmed)]
    [InlineData("FAILED", "3000", DeliveryState.RetryableFailure)]
    [InlineData("FAILED", "3022", DeliveryState.NightBlocked)]
    [InlineData("READY", null, DeliveryState.Pending)]
    [InlineData("SENDING", null, DeliveryState.Pending)]
    public void DeliveryResultsFallIntoTheirClass(string messageStatus, string? code, DeliveryState state) =>
        Assert.Equal(state, NhnResultCodes.Delivery(messageStatus, code, null).State);
}
