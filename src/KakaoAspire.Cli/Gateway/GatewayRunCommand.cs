using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace KakaoAspire.Cli.Gateway;

/// <summary><c>moltbot gateway run</c>: runs this repository's AppHost in the foreground with the user's config.</summary>
public static class GatewayRunCommand
{
    public const string RecordedAppHostFile = "apphost-path";

    public static Command Create(CliConsole console, Option<string?> config)
    {
        var appHost = new Option<string?>("--apphost") { Description = "The AppHost project (folder or .csproj); default: the recorded path, else the working folder" };
        var command = new Command("run", "Run the gateway in the foreground; Ctrl-C stops it") { appHost };
        command.SetAction((parse, ct) => RunAsync(console, parse.GetValue(config), parse.GetValue(appHost), ct));
        return command;
    }

    public static async Task<int> RunAsync(CliConsole console, string? configPath, string? appHostOption, CancellationToken cancellationToken)
    {
        var context = CliContext.Load(console, configPath);
        if (context is null)
        {
            return ExitCodes.InvalidInput;
        }
        var project = ResolveAppHost(console, context, appHostOption);
        if (project is null)
        {
            console.Error.WriteLine(
                "No AppHost found. Pass --apphost <path to KakaoAspire.AppHost>, run this from the repository folder, " +
                "or run 'moltbot kakao setup' from there once to record it.");
            return ExitCodes.InvalidInput;
        }
        Record(context, project);

        foreach (var account in context.Config.Kakao.EnabledAccounts)
        {
            console.Out.WriteLine($"Kakao skill URL ({account.Id}): http://{Environment.MachineName}:{account.WebhookPort}{account.WebhookPath}");
        }
        console.Out.WriteLine($"Dashboard: {DashboardUrl(project) ?? "printed by the app below"}");
        console.Out.WriteLine($"Starting {project} … (Ctrl-C stops it)");

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var arg in new[] { "run", "--project", project, "--launch-profile", "http" })
        {
            start.ArgumentList.Add(arg);
        }
        if (configPath is not null)
        {
            start.Environment["MOLTBOT_CONFIG_PATH"] = Path.GetFullPath(configPath);
        }
        using var process = Process.Start(start)!;

        // Ctrl-C reaches the whole process group, so the app stops by itself; we only wait for it.
        // A SIGTERM sent to us alone is passed on, so the app still stops cleanly.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = true);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            Terminate(process);
        });
        await using var cancel = cancellationToken.Register(() => Terminate(process));
        await process.WaitForExitAsync(CancellationToken.None);
        console.Out.WriteLine("Gateway stopped.");
        return process.ExitCode is 0 or 130 or 143 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void Terminate(Process process)
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
            kill?.WaitForExit();
        }
    }

    /// <summary>--apphost, else the path recorded in the state folder, else the working folder.</summary>
    public static string? ResolveAppHost(CliConsole console, CliContext context, string? option)
    {
        var recorded = Path.Combine(context.KakaoStateDirectory, RecordedAppHostFile);
        var candidates = new List<string?>
        {
            option is null ? null : Path.GetFullPath(option, console.WorkingDirectory),
        };
        if (option is null)
        {
            candidates.Add(File.Exists(recorded) ? File.ReadAllText(recorded).Trim() : null);
            candidates.Add(console.WorkingDirectory);
        }
        foreach (var candidate in candidates.OfType<string>())
        {
            if (FindProject(candidate) is { } project)
            {
                return project;
            }
        }
        return null;
    }

    public static string? FindProject(string path)
    {
        if (File.Exists(path) && path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }
        if (!Directory.Exists(path))
        {
            return null;
        }
        foreach (var folder in new[] { path, Path.Combine(path, "KakaoAspire.AppHost") })
        {
            var project = Path.Combine(folder, "KakaoAspire.AppHost.csproj");
            if (File.Exists(project))
            {
                return project;
            }
        }
        return null;
    }

    public static void Record(CliContext context, string project)
    {
        Directory.CreateDirectory(context.KakaoStateDirectory);
        File.WriteAllText(Path.Combine(context.KakaoStateDirectory, RecordedAppHostFile), project);
    }

    private static string? DashboardUrl(string project)
    {
        var settings = Path.Combine(Path.GetDirectoryName(project)!, "Properties", "launchSettings.json");
        if (!File.Exists(settings))
        {
            return null;
        }
        var json = JsonNode.Parse(File.ReadAllText(settings));
        return json?["profiles"]?["http"]?["applicationUrl"]?.ToString().Split(';')[0];
    }
}
