using System.Diagnostics;
using System.Reflection;
using KakaoAspire.AppHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

internal static class RedisExtensions
{
    /// <summary>Read by KakaoAspire.RedisHost and passed to Garnet as <c>--password</c>.</summary>
    public const string RedisPasswordVariable = "KAKAOASPIRE_REDIS_PASSWORD";

    /// <summary>
    /// Adds the "redis" resource as the user chose with <c>Redis:Mode</c>: <c>container</c> (Aspire's Redis
    /// container), <c>process</c> (Garnet as a process, data on disk under <paramref name="dataDirectory"/>),
    /// <c>external</c> (<c>ConnectionStrings:redis</c>), or <c>auto</c>: the container where a container runtime
    /// answers, else the process. Publish mode always writes the standard container, so azd gets a real Redis.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddKakaoRedis(
        this IDistributedApplicationBuilder builder, string dataDirectory)
    {
        const string name = "redis";
        var mode = (builder.Configuration["Redis:Mode"] ?? "auto").Trim().ToLowerInvariant();
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedisContainer(name);
        }

        switch (mode)
        {
            case "container":
                return builder.AddRedisContainer(name);
            case "external":
                if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name)))
                {
                    throw new InvalidOperationException(
                        "Redis:Mode is 'external' but ConnectionStrings:redis is empty. Set it, e.g. " +
                        "'dotnet run --project KakaoAspire.AppHost -- --ConnectionStrings:redis=localhost:6379', or use Redis:Mode=auto.");
                }
                return builder.AddConnectionString(name);
            case "process":
                return builder.AddRedisProcess(name, dataDirectory);
            case "auto":
                return ContainerRuntimeAnswers()
                    ? builder.AddRedisContainer(name)
                    : builder.AddRedisProcess(name, dataDirectory);
            default:
                throw new InvalidOperationException(
                    $"Redis:Mode '{mode}' is not one of auto, container, process, external.");
        }
    }

    /// <summary>The name of the Redis container's data volume (locally a Docker volume; deployed, a file share azd creates).</summary>
    public const string RedisVolumeName = "kakaoaspire-redis-data";

    /// <summary>
    /// Aspire's Redis container with its data kept: a named volume at /data, and the append-only file on (every write
    /// logged, fsync each second) besides the snapshots, so a restart loses no pairing, session, held answer or queued
    /// message, as the process Redis (Garnet, its own AOF) keeps them on disk too.
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddRedisContainer(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddRedis(name)
            .WithDataVolume(RedisVolumeName)
            .WithPersistence(TimeSpan.FromSeconds(60), keysChangedThreshold: 1)
            .WithArgs(context =>
            {
                // Aspire starts Redis as `/bin/sh -c "redis-server …"`: options must go inside that one string, since
                // arguments after it would only become the shell's $0, $1.
                for (var i = 0; i < context.Args.Count; i++)
                {
                    if (context.Args[i] is string command && command.StartsWith("redis-server ", StringComparison.Ordinal))
                    {
                        context.Args[i] = command + AppendOnlyArguments;
                    }
                }
            });

    /// <summary>What the Redis container's command line gains: every write in the append-only file, synced each second.</summary>
    public const string AppendOnlyArguments = " --appendonly yes --appendfsync everysec";

    private static IResourceBuilder<IResourceWithConnectionString> AddRedisProcess(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory)
    {
        var serverDll = typeof(RedisExtensions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RedisHostAssembly").Value!;
        if (!File.Exists(serverDll))
        {
            throw new InvalidOperationException(
                $"The embedded Redis server was not built at {serverDll}. Build the AppHost first ('dotnet build KakaoAspire.AppHost').");
        }
        // Users' messages live here: 0700, and files an earlier run or version left readable are narrowed to 0600.
        KakaoAspire.Moltbot.Config.OwnerOnly.TightenTree(dataDirectory);

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var resource = new RedisProcessResource(name, "dotnet", Path.GetDirectoryName(serverDll)!, password);

        // The health check is a real PING: the orchestrator's proxy accepts TCP before the server listens.
        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().AddRedis(
            _ => ((IResourceWithConnectionString)resource).GetConnectionStringAsync().AsTask().GetAwaiter().GetResult()
                 ?? throw new InvalidOperationException("The Redis endpoint is not allocated yet."),
            name: healthCheckKey);

        // Unless AppHost:Proxies is true the services connect to Garnet itself, on a port free at start; an unproxied
        // endpoint has no port unless it is given one.
        int? directPort = Orchestration.Direct(builder.Configuration, replicas: 1) ? FreeLoopbackPort() : null;
        return builder.AddResource(resource)
            .WithEndpoint(name: RedisProcessResource.EndpointName, scheme: "tcp", port: directPort, targetPort: directPort, isProxied: directPort is null)
            .WithArgs(context =>
            {
                context.Args.Add(serverDll);
                context.Args.Add("--port");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--auth");
                context.Args.Add("Password");
                // Append-only file plus recovery: a stop or a crash of the app loses no session, pairing or queue.
                context.Args.Add("--aof");
                context.Args.Add("--recover");
                context.Args.Add("--checkpointdir");
                context.Args.Add(dataDirectory);
                context.Args.Add("--logdir");
                context.Args.Add(dataDirectory);
                // Without a storage tier Garnet silently drops what does not fit in memory.
                context.Args.Add("--storage-tier");
                // Garnet's default device needs glibc 2.38; RandomAccess works everywhere.
                context.Args.Add("--device-type");
                context.Args.Add("RandomAccess");
                context.Args.Add("--lua");
                // Expired keys are otherwise removed only when read. The Redis host runs this scan itself, only after
                // writes (ExpiryScan): Garnet's schedule walked an idle store every period.
                context.Args.Add("--expired-key-deletion-scan-freq");
                context.Args.Add("10");
                // Memory sizes (log, pages, index, append-only file) are the RedisHost's own (StoreSizing), the same
                // for the app, the tests and the perf floor.
            })
            // The password goes in the environment, not the arguments: the orchestrator logs every process's command line
            // ("Starting process... Args = [...]") into the resource's log, and ps shows it to every local user.
            .WithEnvironment(RedisPasswordVariable, password)
            .WithSmallGen0Budget()
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool ContainerRuntimeAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program
        }
    }
}
