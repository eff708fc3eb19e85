using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using KakaoAspire.Moltbot.Config;

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
        Record(context.KakaoStateDirectory, project);

        foreach (var account in context.Config.Kakao.EnabledAccounts)
        {
            console.Out.WriteLine($"Kakao skill URL ({account.Id}): http://{Environment.MachineName}:{account.WebhookPort}{account.WebhookPath}");
        }
        console.Out.WriteLine($"Dashboard: {DashboardUrl} (log in with the link the app prints below)");
        console.Out.WriteLine($"Starting {project} … (Ctrl-C stops it)");

        var start = StartInfo(project, configPath is null ? null : Path.GetFullPath(configPath));
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

    /// <summary>The dashboard's fixed local addresses (the AppHost's launch profile uses the same ones).</summary>
    public const string DashboardUrl = "http://localhost:15188";
    private const string OtlpUrl = "http://localhost:19188";
    private const string ResourceServiceUrl = "http://localhost:20188";

    /// <summary>
    /// The server start: the AppHost and every service in Production, so there is no simulator, no http callback to
    /// loopback and no developer exception page, whatever the shell exports. No launch profile: the AppHost's profile
    /// is the developer's (Development, anonymous dashboard). The dashboard stays on localhost and asks for the login
    /// token the AppHost prints.
    /// </summary>
    public static ProcessStartInfo StartInfo(string project, string? configPath)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var arg in new[] { "run", "--project", project, "--no-launch-profile" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = DashboardUrl;
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = OtlpUrl;
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = ResourceServiceUrl;
        // The dashboard and its endpoints are http on localhost; without this the AppHost demands a dev certificate.
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        start.Environment.Remove("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS");
        start.Environment.Remove("DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS");
        if (configPath is not null)
        {
            start.Environment["MOLTBOT_CONFIG_PATH"] = configPath;
        }
        return start;
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

    public static void Record(string kakaoStateDirectory, string project)
    {
        OwnerOnly.EnsureDirectory(kakaoStateDirectory);
        OwnerOnly.WriteAllText(Path.Combine(kakaoStateDirectory, RecordedAppHostFile), project);
    }

}
