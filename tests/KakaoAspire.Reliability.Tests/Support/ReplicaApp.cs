using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// The whole application with two replicas of the webhook, the agent-router and friendtalk (<c>--Scale:Replicas=2</c>),
/// started once for the replica scenarios. Accounts: <c>default</c> (built-in agent, NHN outbound) and <c>ctl</c> (an agent
/// on <see cref="Control"/>, whose delay and answers each scenario sets; timeoutSeconds 60).
/// </summary>
public sealed class ReplicaApp() : WholeAppFixture(typeof(Projects.KakaoAspire_AppHost))
{
    public const int Replicas = 2;
    public static readonly string[] Scaled = ["webhook", "agent-router", "friendtalk"];
    public const string GatewayToken = "SECRET-replica-token-3318";
    public const string WebhookSecret = "SECRET-webhook-replicas";

    /// <summary>Shorter than production (10 s) so a killed replica's callback is taken up within a test; the logic is the same.</summary>
    public static readonly TimeSpan CallbackLease = TimeSpan.FromSeconds(4);

    private readonly ConcurrentDictionary<string, ResourceEvent> _instances = new();

    public int Port { get; } = FreePort.Next();

    public FakeNhnServer Nhn { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;
    public FakeOpenAIServer Control { get; private set; } = null!;

    // Eight service processes instead of four: on a loaded 2-core machine they take longer to answer their first probe.
    protected override TimeSpan StartTimeout => TimeSpan.FromMinutes(6);

    /// <summary>Logs are collected per replica instance (<see cref="OnBuilt"/>); only these are collected by name.</summary>
    protected override IReadOnlyList<string> Resources => [];

    protected override IEnumerable<string> Arguments => [$"--Scale:Replicas={Replicas}"];

    protected override async Task<JsonObject> PrepareAsync()
    {
        Nhn = Own(await FakeNhnServer.StartAsync());
        Callbacks = Own(await CallbackRecorder.StartAsync());
        Control = Own(await FakeOpenAIServer.StartAsync());

        JsonObject Account(string path)
        {
            var account = AppConfig.NhnAccount(Port, path, Nhn.BaseUrl).With("webhookSecret", WebhookSecret);
            account["outbound"]!.AsObject().With("dailyCap", 1000);
            return account;
        }

        return new AppConfig()
            .GatewayToken(GatewayToken)
            .Kakao("apiRateLimitPerMinute", 1000)
            .Account("default", Account("/kakao/webhook"))
            .Account("ctl", Account("/kakao/ctl").With("timeoutSeconds", 60))
            .BuiltinAgent()
            .OpenAIAgent("ctl", Control.Endpoint, "fake-key")
            .Bind("ctl", "ctl")
            .Build();
    }

    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        builder.CreateResourceBuilder<ProjectResource>("webhook")
            .WithEnvironment("Callbacks__LeaseDuration", CallbackLease.ToString())
            .WithEnvironment("Callbacks__SweepInterval", "00:00:01")
            // The tests count each replica's per-request lines: one for every request, not at most ten a second.
            .WithEnvironment("Telemetry__MaxRequestLinesPerSecond", "0");
        builder.CreateResourceBuilder<ProjectResource>("friendtalk")
            .WithEnvironment("FriendTalk__Sender__LeaseDuration", "00:00:10")
            .WithEnvironment("FriendTalk__Sender__HttpTimeout", "00:00:06")
            .WithEnvironment("FriendTalk__Sender__PollDelay", "00:00:01");
    }

    protected override void OnBuilt() => _ = Task.Run(() => WatchInstancesAsync(Stopping));

    /// <summary>Redis and the edge healthy, and every replica of each scaled service running and healthy.</summary>
    protected override async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "redis", "edge" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(cancellationToken);
        }
        while (Scaled.Any(s => HealthyInstances(s).Count < Replicas))
        {
            await Task.Delay(250, cancellationToken);
        }
    }

    protected override async Task WarmUpAsync()
    {
        using var client = Edge();
        await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("warm-up", "WarmReplicas"));
    }

    /// <summary>Every replica instance as the orchestrator reports it (one event stream for all), with its logs.</summary>
    private async Task WatchInstancesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in App.ResourceNotifications.WatchAsync(cancellationToken))
            {
                if (!Scaled.Contains(e.Resource.Name))
                {
                    continue;
                }
                if (_instances.TryAdd(e.ResourceId, e))
                {
                    CollectInstanceLogs(e.ResourceId);
                }
                _instances[e.ResourceId] = e;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public IReadOnlyList<string> HealthyInstances(string service) => _instances.Values
        .Where(e => e.Resource.Name == service && e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy)
        .Select(e => e.ResourceId)
        .ToList();

    /// <summary>The log lines of each instance of a service that contain <paramref name="text"/>, counted per instance.</summary>
    public IReadOnlyDictionary<string, int> CountPerInstance(string service, string text) => Logs
        .Where(l => _instances.TryGetValue(l.Key, out var e) && e.Resource.Name == service)
        .ToDictionary(l => l.Key, l => l.Value.Count(line => line.Contains(text, StringComparison.Ordinal)));

    public HttpClient Edge(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = RequestTimeout };
        // Every account requires its secret, as Open Builder sends it.
        client.DefaultRequestHeaders.Add(KakaoAspire.TestSupport.WebhookSecretHandler.Header, WebhookSecret);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaApp>
{
    public const string Name = "replica app";
}
