using System.Diagnostics;
using System.Net.Sockets;

namespace KakaoAspire.TestSupport;

/// <summary>
/// A real Redis-compatible server for service tests: the same embedded Garnet the AppHost falls back to,
/// started as its own process on a free loopback port with a password, and stopped (or killed) on demand.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly TempDirectory _data = new();
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    public string Password { get; } = Guid.NewGuid().ToString("N");

    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again), keeping its data folder, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            RepositoryPaths.RedisHostAssembly, "--port", Port.ToString(), "--bind", "127.0.0.1",
            "--auth", "Password", "--password", Password, "--aof", "--recover",
            "--checkpointdir", _data.Path, "--logdir", _data.Path, "--storage-tier",
            "--device-type", "RandomAccess", "--lua", "--memory", "256m", "--index", "16m",
        })
        {
            start.ArgumentList.Add(arg);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Redis host.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        // Not left running: nobody holds this server to dispose it once the start has failed.
        Kill();
        throw new TimeoutException($"The Redis host did not listen on port {Port} within 30 s.");
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _data.Dispose();
        return ValueTask.CompletedTask;
    }
}
