using KakaoAspire.AppHost;
using Microsoft.Extensions.Configuration;

namespace KakaoAspire.AppHost.Tests;

/// <summary>AppHost:Dashboard and AppHost:Proxies: on unless turned off, and a typo stops the start.</summary>
public sealed class OrchestrationTests
{
    private static Func<string, string?> Env(string? dashboard) => name => name == "AppHost__Dashboard" ? dashboard : null;

    [Fact]
    public void The_dashboard_runs_unless_turned_off()
    {
        Assert.False(Orchestration.Options([], Env(null)).DisableDashboard);
        Assert.False(Orchestration.Options(["--AppHost:Dashboard=true"], Env(null)).DisableDashboard);
    }

    [Theory]
    [InlineData("--AppHost:Dashboard=false", null)]
    [InlineData("--AppHost:Dashboard=False", null)]
    [InlineData("--Redis:Mode=process", "false")]
    public void AppHost_Dashboard_false_as_an_argument_or_in_the_environment_starts_no_dashboard(string arg, string? environment)
    {
        var options = Orchestration.Options([arg], Env(environment));

        Assert.True(options.DisableDashboard);
        Assert.Equal([arg], options.Args!);
    }

    [Fact]
    public void An_argument_wins_over_the_environment()
    {
        Assert.False(Orchestration.Options(["--AppHost:Dashboard=true"], Env("false")).DisableDashboard);
    }

    [Fact]
    public void A_value_other_than_true_or_false_stops_the_start_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Orchestration.Options(["--AppHost:Dashboard=off"], Env(null)));

        Assert.Contains("AppHost:Dashboard", error.Message);
        Assert.Contains("'off'", error.Message);
    }

    [Theory]
    [InlineData(null, 1, false)]
    [InlineData("true", 1, false)]
    [InlineData("false", 1, true)]
    [InlineData("false", 2, false)]
    public void A_service_listens_on_its_own_port_only_with_proxies_off_and_one_replica(string? proxies, int replicas, bool direct)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Orchestration.ProxiesKey] = proxies })
            .Build();

        Assert.Equal(direct, Orchestration.Direct(configuration, replicas));
    }
}
