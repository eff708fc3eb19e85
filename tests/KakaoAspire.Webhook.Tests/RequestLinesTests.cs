using KakaoAspire.Webhook.Metrics;
using KakaoAspire.Webhook.Skill;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The webhook's line per skill request: every one at a person's pace, a count a second under load.</summary>
public sealed class RequestLinesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<RequestLines> _logger = new();

    private RequestLines Lines(double perSecond = 10) =>
        new(Microsoft.Extensions.Options.Options.Create(new RequestLineOptions { MaxRequestLinesPerSecond = perSecond }), _time, _logger);

    private string[] Messages => [.. _logger.Collector.GetSnapshot().Select(r => r.Message)];

    [Fact]
    public void At_a_persons_pace_every_request_has_its_own_line_and_no_summary_follows()
    {
        using var lines = Lines();

        for (var i = 0; i < 40; i++)
        {
            lines.Answered("default", TimeSpan.FromMilliseconds(30 + i), SkillOutcome.Inline);
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }

        Assert.Equal(40, Messages.Length);
        Assert.All(Messages, m => Assert.Matches(@"^Skill request for account default answered in \d+ ms \(inline\)$", m));
    }

    [Fact]
    public void Past_the_limit_a_line_a_second_later_counts_the_requests_by_kind_with_the_slowest()
    {
        using var lines = Lines();

        for (var i = 0; i < 10; i++)
        {
            lines.Answered("default", TimeSpan.FromMilliseconds(20), SkillOutcome.Inline);
        }
        for (var i = 0; i < 12; i++)
        {
            lines.Answered("default", TimeSpan.FromMilliseconds(40), SkillOutcome.Inline);
        }
        lines.Answered("default", TimeSpan.FromMilliseconds(4700), SkillOutcome.Held);
        lines.Answered("shop", TimeSpan.FromMilliseconds(4600), SkillOutcome.Callback);
        lines.Answered("shop", TimeSpan.FromMilliseconds(3), SkillOutcome.Denied);
        Assert.Equal(10, Messages.Length);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(11, Messages.Length);
        Assert.Equal(
            "15 more skill requests answered in the last 1.0 s without a line each (at most 10 lines a second, " +
            "Telemetry:MaxRequestLinesPerSecond): 12 inline, 1 held, 1 callback, 1 denied; the slowest in 4700 ms",
            Messages[^1]);
        Assert.Equal(LogLevel.Information, _logger.LatestRecord.Level);
    }

    [Fact]
    public void Each_request_is_counted_once_across_summaries_and_the_lines_come_back_when_the_load_ends()
    {
        using var lines = Lines();
        var sent = 0;
        for (var second = 0; second < 5; second++)
        {
            for (var i = 0; i < 100; i++, sent++)
            {
                lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
                _time.Advance(TimeSpan.FromMilliseconds(10));
            }
        }
        _time.Advance(TimeSpan.FromSeconds(2));
        var ownLines = Messages.Count(m => m.StartsWith("Skill request for account", StringComparison.Ordinal));
        var counted = Messages.Where(m => m.Contains("more skill requests", StringComparison.Ordinal))
            .Sum(m => int.Parse(m.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(sent, ownLines + counted);
        Assert.InRange(ownLines, 50, 60);

        lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
        Assert.StartsWith("Skill request for account default", Messages[^1]);
    }

    [Fact]
    public void With_a_limit_of_0_every_request_has_its_line()
    {
        using var lines = Lines(perSecond: 0);

        for (var i = 0; i < 500; i++)
        {
            lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
        }

        Assert.Equal(500, Messages.Length);
    }

    [Fact]
    public void Stopping_the_service_writes_the_count_that_was_waiting()
    {
        var lines = Lines(perSecond: 1);
        lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
        lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
        lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Held);

        lines.Dispose();

        Assert.StartsWith("2 more skill requests answered", Messages[^1]);
        Assert.Contains("1 inline, 1 held", Messages[^1]);
    }

    [Fact]
    public void A_request_answered_while_the_service_stops_neither_throws_nor_loses_its_count()
    {
        var lines = Lines(perSecond: 1);
        lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
        lines.Dispose();

        lines.Answered("default", TimeSpan.FromMilliseconds(10), SkillOutcome.Inline);
        lines.Dispose();

        Assert.StartsWith("1 more skill requests answered", Messages[^1]);
    }
}
