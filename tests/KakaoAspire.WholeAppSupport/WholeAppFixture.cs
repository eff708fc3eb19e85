using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.WholeAppSupport;

/// <summary>
/// The real AppHost, started once per test collection: a Moltbot config written to a temp folder (its state folder
/// beside it), the Redis process, every service healthy before the first test, each resource's log lines collected as
/// the dashboard shows them, and everything stopped afterwards. A fixture says what differs: its config, its fakes
/// (<see cref="Own{T}"/>), extra AppHost arguments and resource settings, and how it knows the app is ready.
/// </summary>
public abstract class WholeAppFixture(Type appHost) : IAsyncLifetime
{
    /// <summary>The services that make up the app, in start order.</summary>
    public static readonly string[] Services = ["redis", "agent-router", "friendtalk", "webhook", "edge"];

    // Generous: on a loaded 2-core machine each service takes up to a minute to become healthy.
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromMinutes(6);
    public static readonly TimeSpan RequestTimeout = Skill.RequestTimeout;

    private readonly KakaoAspire.TestSupport.TempDirectory _directory = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public DistributedApplication App { get; private set; } = null!;

    public string ConfigPath => _directory.File("moltbot.json");

    public string StateDirectory => _directory.File("state");

    /// <summary>Every log line each resource (or replica instance) wrote, by its name.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Logs { get; } = new();

    /// <summary>
    /// Waits for a resource's log line: the dashboard's log stream reaches the test after the request that caused the line
    /// has been answered. Returns every line of that resource so far, for the assertion message.
    /// </summary>
    public async Task<(bool Found, IReadOnlyList<string> Lines)> WaitForLogAsync(string resource, Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = Logs.TryGetValue(resource, out var queue) ? queue.ToList() : [];
            if (lines.Any(match) || DateTime.UtcNow >= deadline)
            {
                return (lines.Any(match), lines);
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Every log line of every resource so far.</summary>
    public IEnumerable<string> AllLogLines => Logs.Values.SelectMany(lines => lines);

    /// <summary>Stopped when the fixture is disposed: for watchers a fixture starts itself.</summary>
    protected CancellationToken Stopping => _stop.Token;

    protected virtual TimeSpan StartTimeout => DefaultStartTimeout;

    /// <summary>The resources whose logs are collected and whose health is awaited.</summary>
    protected virtual IReadOnlyList<string> Resources => Services;

    /// <summary>A file for the fixture's own use in its temp folder (e.g. a second config).</summary>
    protected string TempFile(string name) => _directory.File(name);

    /// <summary>Starts the fakes the config points at (each through <see cref="Own{T}"/>) and returns the Moltbot config.</summary>
    protected abstract Task<JsonObject> PrepareAsync();

    /// <summary>AppHost arguments beyond the config path, the state folder and the Redis process.</summary>
    protected virtual IEnumerable<string> Arguments => [];

    /// <summary>The AppHost's own host settings, e.g. its environment name.</summary>
    protected virtual void ConfigureHost(HostApplicationBuilderSettings host)
    {
    }

    /// <summary>The app's options, decided when the builder is created (e.g. the dashboard, which tests turn off).</summary>
    protected virtual void ConfigureOptions(DistributedApplicationOptions options)
    {
    }

    /// <summary>Resource settings before the app is built, e.g. shorter leases.</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    /// <summary>Called after the app is built and before it starts (a watcher that must see every event).</summary>
    protected virtual void OnBuilt()
    {
    }

    /// <summary>Waits until the app can take the first test: by default every resource healthy.</summary>
    protected virtual async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Resources)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cancellationToken).WaitAsync(cancellationToken);
        }
    }

    /// <summary>After the app is ready: e.g. one request per path so the first test does not measure JIT.</summary>
    protected virtual Task WarmUpAsync() => Task.CompletedTask;

    /// <summary>A fake or server the fixture started: disposed after the app stops, last owned first.</summary>
    protected T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async Task InitializeAsync()
    {
        var config = await PrepareAsync();
        await File.WriteAllTextAsync(ConfigPath, config.ToJsonString());

        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync(
            appHost,
            [
                $"--Moltbot:ConfigPath={ConfigPath}",
                $"--Moltbot:StateDirectory={StateDirectory}",
                "--Redis:Mode=process",
                // Stopping returns at once and the orchestrator stops the services behind us: waiting for it cost 13.4 s
                // per app here (0.4 s without), and each app has its own ports and state folder, so the next app's start
                // never meets what is still stopping.
                "--DcpPublisher:WaitForResourceCleanup=false",
                // Behind the orchestrator's proxies, which the testing builder gives random ports: the services' own
                // ports (their launch profiles') are fixed, and the next app may start before the last one has let go.
                "--AppHost:Proxies=true",
                .. Arguments,
            ],
            (options, host) =>
            {
                ConfigureOptions(options);
                ConfigureHost(host);
            },
            cts.Token).WaitAsync(cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        Configure(builder);

        App = await builder.BuildAsync(cts.Token).WaitAsync(cts.Token);
        OnBuilt();
        await App.StartAsync(cts.Token).WaitAsync(cts.Token);
        foreach (var name in Resources)
        {
            CollectLogs(name);
        }
        await WaitUntilReadyAsync(cts.Token);
        await WarmUpAsync();
    }

    /// <summary>Collects the log lines of a resource of the app model (all its instances), under its name.</summary>
    private void CollectLogs(string resource)
    {
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        var target = model.Resources.Single(r => r.Name == resource);
        Collect(resource, App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(target));
    }

    /// <summary>Collects the log lines of one replica instance, under its orchestrator id (e.g. "webhook-abcd1234").</summary>
    protected void CollectInstanceLogs(string instanceId) =>
        Collect(instanceId, App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(instanceId));

    private void Collect(string name, IAsyncEnumerable<IReadOnlyList<LogLine>> stream)
    {
        var lines = Logs.GetOrAdd(name, _ => new ConcurrentQueue<string>());
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in stream.WithCancellation(_stop.Token))
                {
                    foreach (var line in batch)
                    {
                        lines.Enqueue(line.Content);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
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
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        _directory.Dispose();
    }
}
