using KakaoAspire.AppHost;
using Microsoft.Extensions.Configuration;

namespace KakaoAspire.AppHost.Tests;

/// <summary>AppHost:Dashboard on unless turned off, AppHost:Proxies off unless turned on, and a typo stops the start.</summary>
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
    [InlineData(null, 1, true)]
    [InlineData("true", 1, false)]
    [InlineData("false", 1, true)]
    [InlineData("false", 2, false)]
    [InlineData(null, 2, false)]
    public void A_single_replica_listens_on_its_own_port_unless_proxies_are_turned_on(string? proxies, int replicas, bool direct)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Orchestration.ProxiesKey] = proxies })
            .Build();

        Assert.Equal(direct, Orchestration.Direct(configuration, replicas));
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("true", null, true)]
    [InlineData("false", null, false)]
    [InlineData("false", "http://collector:4317", true)]
    public void Without_the_dashboard_the_services_get_no_telemetry_endpoint_unless_the_user_names_one(
        string? dashboard, string? receiver, bool keeps)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [Orchestration.DashboardKey] = dashboard,
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = receiver,
            })
            .Build();

        Assert.Equal(keeps, Orchestration.KeepsOtlpEndpoint(configuration));
    }

    [Fact]
    public void Removing_the_telemetry_endpoint_takes_every_OTLP_exporter_variable_and_nothing_else()
    {
        var environment = new Dictionary<string, object>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://localhost:18889",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = "webhook",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };

        Orchestration.RemoveOtlpEndpoint(environment);

        Assert.Equal(["DOTNET_ENVIRONMENT", "OTEL_SERVICE_NAME"], environment.Keys.Order());
    }

    [Fact]
    public void A_typo_in_AppHost_Proxies_stops_the_start_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [Orchestration.ProxiesKey] = "no" })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => Orchestration.Direct(configuration, 1));

        Assert.Contains("AppHost:Proxies", error.Message);
    }
}
