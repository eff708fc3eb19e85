using System.Globalization;
using KakaoAspire.Contracts;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Skill;
using Microsoft.AspNetCore.Http;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The deadline counts from when the edge received the request, so a queue before the webhook eats the budget.</summary>
public sealed class ArrivalTests
{
    private static TimeSpan Waited(long? stampMsAgo)
    {
        var context = new DefaultHttpContext();
        if (stampMsAgo is { } ago)
        {
            context.Request.Headers[InternalHeaders.ReceivedAt] =
                (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ago).ToString(CultureInfo.InvariantCulture);
        }
        var arrival = SkillApi.Arrival(context.Request, TimeProvider.System);
        return TimeProvider.System.GetElapsedTime(arrival);
    }

    [Fact]
    public void TheEdgesStampMovesTheArrivalBack() =>
        Assert.InRange(Waited(800), TimeSpan.FromMilliseconds(790), TimeSpan.FromMilliseconds(1500));

    [Theory]
    [InlineData(null)]
    [InlineData(-5000L)] // a stamp from the future
    [InlineData(60_000L)] // implausibly old: another host's clock
    public void WithoutAPlausibleStampTheArrivalIsNow(long? stampMsAgo) =>
        Assert.InRange(Waited(stampMsAgo), TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
}
