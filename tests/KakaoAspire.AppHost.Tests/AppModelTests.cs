namespace KakaoAspire.AppHost.Tests;

/// <summary>The AppHost's model as built (no start): how many of each service run, and how their health is probed.</summary>
public sealed class AppModelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Scale_Replicas_runs_two_of_the_webhook_router_and_sender_and_one_edge_which_owns_the_public_ports()
    {
        var resources = await ResourcesAsync("--Scale:Replicas=2");

        Assert.Equal(2, Replicas(resources, "webhook"));
        Assert.Equal(2, Replicas(resources, "agent-router"));
        Assert.Equal(2, Replicas(resources, "friendtalk"));
        Assert.Equal(1, Replicas(resources, "edge"));
    }

    [Fact]
    public async Task A_per_service_scale_overrides_the_common_one_and_the_default_is_one_each()
    {
        var resources = await ResourcesAsync("--Scale:webhook=3");

        Assert.Equal(3, Replicas(resources, "webhook"));
        Assert.Equal(1, Replicas(resources, "agent-router"));
        Assert.Equal(1, Replicas(resources, "friendtalk"));
    }

    [Fact]
    public async Task An_invalid_scale_stops_the_AppHost_with_a_message_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ResourcesAsync("--Scale:Replicas=zwei"));

        Assert.Contains("Scale:Replicas", error.ToString());
        Assert.Contains("1 to 20", error.ToString());
    }

    [Fact]
    public async Task By_default_the_services_and_Garnet_listen_on_their_own_ports()
    {
        var resources = await ResourcesAsync();

        foreach (var name in new[] { "webhook", "agent-router", "friendtalk", "edge", "redis" })
        {
            var endpoint = resources.Single(r => r.Name == name).Annotations.OfType<EndpointAnnotation>().First();
            Assert.False(endpoint.IsProxied, name);
            Assert.NotNull(endpoint.Port);
        }
    }

    [Fact]
    public async Task Replicas_keep_the_proxy_that_spreads_their_connections_whatever_AppHost_Proxies_says()
    {
        var resources = await ResourcesAsync("--AppHost:Proxies=false", "--Scale:webhook=2");

        Assert.True(resources.Single(r => r.Name == "webhook").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").IsProxied);
        Assert.False(resources.Single(r => r.Name == "agent-router").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").IsProxied);
    }

    [Fact]
    public async Task With_AppHost_Proxies_true_the_orchestrator_proxies_the_services_and_Garnet()
    {
        var resources = await ResourcesAsync("--AppHost:Proxies=true");

        Assert.True(resources.Single(r => r.Name == "webhook").Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http").IsProxied);
        Assert.True(resources.Single(r => r.Name == "redis").Annotations.OfType<EndpointAnnotation>().Single().IsProxied);
    }

    [Fact]
    public async Task Every_dotnet_process_the_AppHost_runs_gets_the_small_gen0_budget_Garnet_included()
    {
        var resources = await ResourcesAsync();

        foreach (var name in new[] { "webhook", "agent-router", "friendtalk", "edge", "redis" })
        {
            // The variables as the orchestrator gets them, before any endpoint exists: the callbacks' literal values.
            var resource = resources.Single(r => r.Name == name);
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
            foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }
            Assert.Equal("0x400000", context.EnvironmentVariables.GetValueOrDefault("DOTNET_GCgen0size"));
        }
    }

    [Fact]
    public async Task Aspires_every_trace_sampler_is_removed_so_the_services_keep_ten_new_traces_a_second()
    {
        foreach (var (args, expected) in new[] { (Array.Empty<string>(), (string?)null), (["--OTEL_TRACES_SAMPLER=always_off"], "always_off") })
        {
            var resources = await ResourcesAsync(args);
            foreach (var name in new[] { "webhook", "agent-router", "friendtalk", "edge" })
            {
                var variables = await VariablesAsync(resources.Single(r => r.Name == name));
                // The user's own choice in the AppHost's environment reaches the services as it is.
                Assert.Equal(expected, variables.GetValueOrDefault("OTEL_TRACES_SAMPLER") as string);
            }
        }
    }

#pragma warning disable ASPIREPROBES001 // the probe annotations are marked for evaluation
    [Theory]
    [InlineData("webhook")]
    [InlineData("agent-router")]
    [InlineData("friendtalk")]
    [InlineData("edge")]
    public async Task Readiness_is_health_and_liveness_is_alive_for_every_service(string service)
    {
        var resources = await ResourcesAsync();
        var probes = resources.Single(r => r.Name == service).Annotations.OfType<EndpointProbeAnnotation>().ToList();

        Assert.Equal("/health", Assert.Single(probes, p => p.Type == ProbeType.Readiness).Path);
        Assert.Equal("/alive", Assert.Single(probes, p => p.Type == ProbeType.Liveness).Path);
    }
#pragma warning restore ASPIREPROBES001

    private static async Task<Dictionary<string, object>> VariablesAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return context.EnvironmentVariables.ToDictionary();
    }

    private static int Replicas(IReadOnlyList<IResource> resources, string name) =>
        resources.Single(r => r.Name == name).Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    private static async Task<IReadOnlyList<IResource>> ResourcesAsync(params string[] args)
    {
        using var temp = new KakaoAspire.TestSupport.TempDirectory();
        await File.WriteAllTextAsync(temp.File("moltbot.json"), """{ "channels": { "kakao": { "accounts": { "default": { "webhookPort": 8788 } } } } }""");
        using var cts = new CancellationTokenSource(Patience);
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [$"--Moltbot:ConfigPath={temp.File("moltbot.json")}", $"--Moltbot:StateDirectory={temp.File("state")}", "--Redis:Mode=process", .. args],
            cts.Token).WaitAsync(cts.Token);
        return builder.Resources.ToList();
    }
}
