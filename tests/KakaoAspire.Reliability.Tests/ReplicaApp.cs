using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// The whole application with two replicas of the webhook, the agent-router and friendtalk (<c>--Scale:Replicas=2</c>),
/// started once for the replica scenarios. Accounts: <c>default</c> (built-in agent, NHN outbound) and <c>ctl</c> (an agent
/// on <see cref="Control"/>, whose delay and answers each scenario sets; timeoutSeconds 60).
/// </summary>
public sealed class ReplicaApp : IAsyncLifetime
{
    public const int Replicas = 2;
    public static readonly string[] Scaled = ["webhook", "agent-router", "friendtalk"];
    public const string GatewayToken = "SECRET-replica-token-3318";

    /// <summary>Shorter than production (10 s) so a killed replica's callback is taken up within a test; the logic is the same.</summary>
    public static readonly TimeSpan CallbackLease = TimeSpan.FromSeconds(4);

    private readonly KakaoAspire.TestSupport.TempDirectory _state = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, ResourceEvent> _instances = new();

    public int Port { get; } = FreePort.Next();

    public DistributedApplication App { get; private set; } = null!;

    public FakeNhnServer Nhn { get; private set; } = null!;
    public CallbackRecorder Callbacks { get; private set; } = null!;
    public FakeOpenAIServer Control { get; private set; } = null!;

    /// <summary>Log lines per replica instance (its orchestrator id, e.g. "webhook-abcd1234").</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Nhn = await FakeNhnServer.StartAsync();
        Callbacks = await CallbackRecorder.StartAsync();
        Control = await FakeOpenAIServer.StartAsync();

        JsonObject Account(string path) => new()
        {
            ["webhookPort"] = Port, ["webhookPath"] = path, ["webhookSecret"] = WebhookSecret,
            ["senderKey"] = FakeNhnServer.SenderKey, ["toastAppKey"] = FakeNhnServer.AppKey, ["toastSecretKey"] = FakeNhnServer.SecretKey,
            ["outbound"] = new JsonObject { ["nhnBaseUrl"] = Nhn.BaseUrl, ["nightWindow"] = null, ["dailyCap"] = 1000 },
        };
        var ctl = Account("/kakao/ctl");
        ctl["timeoutSeconds"] = 60;
        await File.WriteAllTextAsync(_state.File("moltbot.json"), new JsonObject
        {
            ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = GatewayToken } },
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["apiRateLimitPerMinute"] = 1000,
                    ["accounts"] = new JsonObject { ["default"] = Account("/kakao/webhook"), ["ctl"] = ctl },
                },
            },
            ["agents"] = new JsonObject
            {
                ["list"] = new JsonArray(
                    new JsonObject { ["id"] = "main", ["default"] = true, ["model"] = new JsonObject { ["provider"] = "builtin" } },
                    new JsonObject
                    {
                        ["id"] = "ctl",
                        ["model"] = new JsonObject { ["provider"] = "openai", ["endpoint"] = Control.Endpoint, ["name"] = "fake-model", ["apiKey"] = "fake-key" },
                    }),
            },
            ["bindings"] = new JsonArray(new JsonObject
            {
                ["agentId"] = "ctl", ["match"] = new JsonObject { ["channel"] = "kakao", ["accountId"] = "ctl" },
            }),
        }.ToJsonString());

        // Eight service processes instead of four: on a loaded 2-core machine they take longer to answer their first probe.
        using var cts = new CancellationTokenSource(ReliabilityApp.StartTimeout * 2);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.KakaoAspire_AppHost>(
            [
                $"--Moltbot:ConfigPath={_state.File("moltbot.json")}",
                $"--Moltbot:StateDirectory={_state.File("state")}",
                "--Redis:Mode=process",
                $"--Scale:Replicas={Replicas}",
            ],
            cts.Token).WaitAsync(cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        builder.CreateResourceBuilder<ProjectResource>("webhook")
            .WithEnvironment("Callbacks__LeaseDuration", CallbackLease.ToString())
            .WithEnvironment("Callbacks__SweepInterval", "00:00:01");
        builder.CreateResourceBuilder<ProjectResource>("friendtalk")
            .WithEnvironment("FriendTalk__Sender__LeaseDuration", "00:00:10")
            .WithEnvironment("FriendTalk__Sender__HttpTimeout", "00:00:06")
            .WithEnvironment("FriendTalk__Sender__PollDelay", "00:00:01");

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        _ = Task.Run(() => WatchInstancesAsync(_stop.Token));
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        foreach (var name in new[] { "redis", "edge" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token).WaitAsync(cts.Token);
        }
        while (Scaled.Any(s => HealthyInstances(s).Count < Replicas))
        {
            await Task.Delay(250, cts.Token);
        }

        using var client = Edge();
        await Skill.PostAsync(client, "/kakao/webhook", Skill.Payload("warm-up", "WarmReplicas"));
    }

    /// <summary>Every replica instance as the orchestrator reports it (one event stream for all), with its logs.</summary>
    private async Task WatchInstancesAsync(CancellationToken cancellationToken)
    {
        var loggers = App.Services.GetRequiredService<ResourceLoggerService>();
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
                    var lines = Logs.GetOrAdd(e.ResourceId, _ => new ConcurrentQueue<string>());
                    _ = Task.Run(async () =>
                    {
                        await foreach (var batch in loggers.WatchAsync(e.ResourceId).WithCancellation(cancellationToken))
                        {
                            foreach (var line in batch)
                            {
                                lines.Enqueue(line.Content);
                            }
                        }
                    }, CancellationToken.None);
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

    public const string WebhookSecret = "SECRET-webhook-replicas";

    public HttpClient Edge(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = ReliabilityApp.RequestTimeout };
        // Every account requires its secret, as Open Builder sends it.
        client.DefaultRequestHeaders.Add(KakaoAspire.TestSupport.WebhookSecretHandler.Header, WebhookSecret);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        if (App is not null)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await App.StopAsync(cts.Token).WaitAsync(cts.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Teardown that hangs must not fail the run; the orchestrator cleans up its children.
            }
            await App.DisposeAsync();
        }
        await Control.DisposeAsync();
        await Callbacks.DisposeAsync();
        await Nhn.DisposeAsync();
        _state.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaApp>
{
    public const string Name = "replica app";
}
