using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KakaoAspire.Reliability.Tests;

/// <summary>
/// Faults for the running app: stop a resource through the orchestrator (graceful, as "resource-stop" in the
/// dashboard), kill its process outright (SIGKILL: nothing after that instant runs), start it again.
/// </summary>
public sealed class AppControl(DistributedApplication app)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task StopAsync(string resource)
    {
        using var cts = new CancellationTokenSource(Patience);
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cts.Token).WaitAsync(cts.Token);
        Assert.True(result.Success, $"stopping {resource}: {result.Message}");
        await WaitForStoppedAsync(resource, cts.Token);
    }

    /// <summary>
    /// SIGKILL to the resource's own process: a crash at whatever it was doing. Projects run as <c>dotnet run</c>, whose
    /// child is the service; killing only the wrapper would leave the service running, so the children go first.
    /// </summary>
    public async Task KillAsync(string resource)
    {
        using var cts = new CancellationTokenSource(Patience);
        var pid = Pid(resource);
        var children = ChildrenOf(pid);
        foreach (var child in children.Count > 0 ? children : [pid])
        {
            using var process = Process.GetProcessById(child);
            process.Kill(entireProcessTree: true);
        }
        await WaitForStoppedAsync(resource, cts.Token);
    }

    private static List<int> ChildrenOf(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(path)
            ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList()
            : [];
    }

    public async Task StartAsync(string resource)
    {
        using var cts = new CancellationTokenSource(Patience);
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cts.Token).WaitAsync(cts.Token);
        Assert.True(result.Success, $"starting {resource}: {result.Message}");
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy,
            cts.Token).WaitAsync(cts.Token);
    }

    public int Pid(string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"no state for {resource}");
        var property = state!.Snapshot.Properties.FirstOrDefault(p => p.Name.EndsWith(".pid", StringComparison.OrdinalIgnoreCase));
        Assert.True(property?.Value is not null,
            $"no pid for {resource}; properties: {string.Join(", ", state.Snapshot.Properties.Select(p => p.Name))}");
        return Convert.ToInt32(property!.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task WaitForStoppedAsync(string resource, CancellationToken cancellationToken) =>
        app.ResourceNotifications.WaitForResourceAsync(resource,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken).WaitAsync(cancellationToken);
}
