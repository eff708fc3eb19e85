using KakaoAspire.Webhook.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;

namespace KakaoAspire.Webhook.Tests;

/// <summary>The skill server's metrics as the dashboard receives them, from real requests through the real service.</summary>
public sealed class MetricsTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private IMeterFactory Meters => fixture.Factory.Services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task An_answer_ready_in_time_counts_as_inline_with_its_reply_time_in_milliseconds()
    {
        using var requests = new MetricCollector<long>(Meters, WebhookMetrics.MeterName, "kakao.skill.requests");
        using var replies = new MetricCollector<double>(Meters, WebhookMetrics.MeterName, "kakao.skill.reply.duration");

        var (_, elapsed) = await Skill.AskAsync(fixture.Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "빠른 질문"));

        var request = Assert.Single(requests.GetMeasurementSnapshot(), m => m.MatchesTags(Tags(TestConfig.Open, SkillOutcome.Inline)));
        Assert.Equal(1, request.Value);
        var reply = Assert.Single(replies.GetMeasurementSnapshot(), m => m.MatchesTags(Tags(TestConfig.Open, SkillOutcome.Inline)));
        Assert.InRange(reply.Value, 0.01, elapsed.TotalMilliseconds);
        Assert.Equal("ms", replies.Instrument!.Unit);
    }

    [Fact]
    public async Task A_slow_answer_without_a_callback_counts_as_held()
    {
        using var requests = new MetricCollector<long>(Meters, WebhookMetrics.MeterName, "kakao.skill.requests");

        var (response, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast, Skill.Payload(Skill.NewUser(), "slow:1500 보류"));

        Assert.Equal(SkillTexts.StillThinking, Skill.Texts(response).Single());
        Assert.Single(requests.GetMeasurementSnapshot(), m => m.MatchesTags(Tags(TestConfig.Fast, SkillOutcome.Held)));
        Assert.DoesNotContain(requests.GetMeasurementSnapshot(), m => (string?)m.Tags[WebhookMetrics.OutcomeTag] == SkillOutcome.Inline);
    }

    [Fact]
    public async Task A_slow_answer_with_a_callback_counts_as_callback_and_its_post_as_posted()
    {
        using var requests = new MetricCollector<long>(Meters, WebhookMetrics.MeterName, "kakao.skill.requests");
        using var callbacks = new MetricCollector<long>(Meters, WebhookMetrics.MeterName, "kakao.callback.posts");
        var token = Guid.NewGuid().ToString("N");

        var (ack, _) = await Skill.AskAsync(fixture.Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:1200 콜백", callbackUrl: fixture.Kakao.CallbackUrl(token)));
        Assert.True(ack.UseCallback);
        await callbacks.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(15));

        Assert.Single(requests.GetMeasurementSnapshot(), m => m.MatchesTags(Tags(TestConfig.Fast, SkillOutcome.Callback)));
        Assert.Single(callbacks.GetMeasurementSnapshot(), m => m.MatchesTags(
            new KeyValuePair<string, object?>(WebhookMetrics.AccountTag, TestConfig.Fast),
            new KeyValuePair<string, object?>(WebhookMetrics.CallbackResultTag, "posted")));
    }

    [Fact]
    public async Task A_callback_that_Kakao_does_not_accept_counts_as_refused()
    {
        using var callbacks = new MetricCollector<long>(Meters, WebhookMetrics.MeterName, "kakao.callback.posts");
        var token = Guid.NewGuid().ToString("N");

        // A redirect is not followed: the one POST got no answer from Kakao's callback API.
        await Skill.AskAsync(fixture.Client, TestConfig.Fast,
            Skill.Payload(Skill.NewUser(), "slow:1200 거절", callbackUrl: $"{fixture.Kakao.Url}/redirect/{token}"));
        await callbacks.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(15));

        Assert.Equal("refused", callbacks.LastMeasurement!.Tags[WebhookMetrics.CallbackResultTag]);
    }

    [Fact]
    public async Task A_user_the_dm_policy_turns_away_counts_as_denied()
    {
        using var requests = new MetricCollector<long>(Meters, WebhookMetrics.MeterName, "kakao.skill.requests");

        await Skill.AskAsync(fixture.Client, TestConfig.Off, Skill.Payload(Skill.NewUser(), "안녕"));

        Assert.Single(requests.GetMeasurementSnapshot(), m => m.MatchesTags(Tags(TestConfig.Off, SkillOutcome.Denied)));
    }

    private static KeyValuePair<string, object?>[] Tags(string account, string outcome) =>
        [new(WebhookMetrics.AccountTag, account), new(WebhookMetrics.OutcomeTag, outcome)];
}
