using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace KakaoAspire.ServiceDefaults.Tests;

public sealed class TracesPerSecondSamplerTests
{
    private readonly FakeTimeProvider _time = new();

    private int Kept(Sampler sampler, int traces)
    {
        var kept = 0;
        for (var i = 0; i < traces; i++)
        {
            var parameters = new SamplingParameters(default, ActivityTraceId.CreateRandom(), "request", ActivityKind.Server);
            if (sampler.ShouldSample(parameters).Decision == SamplingDecision.RecordAndSample)
            {
                kept++;
            }
        }
        return kept;
    }

    [Fact]
    public void A_burst_keeps_one_seconds_worth_then_the_steady_rate()
    {
        var sampler = new TracesPerSecondSampler(new AlwaysOnSampler(), 10, _time);

        Assert.Equal(10, Kept(sampler, 1000));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, Kept(sampler, 1000));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(10, Kept(sampler, 1000));
    }

    [Fact]
    public void At_a_developers_pace_every_trace_is_kept()
    {
        var sampler = new TracesPerSecondSampler(new AlwaysOnSampler(), 10, _time);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(1, Kept(sampler, 1));
            _time.Advance(TimeSpan.FromMilliseconds(150));
        }
    }

    [Fact]
    public void What_the_inner_sampler_drops_takes_no_place()
    {
        var inner = new Switch();
        var sampler = new TracesPerSecondSampler(inner, 10, _time);

        Assert.Equal(0, Kept(sampler, 100));
        inner.On = true;
        Assert.Equal(10, Kept(sampler, 100));
    }

    private sealed class Switch : Sampler
    {
        public bool On { get; set; }

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(On ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
