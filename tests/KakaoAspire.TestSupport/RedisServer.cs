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

    /// <summary>True when the server keeps its command count (<see cref="CommandsProcessedAsync"/>), sampled once a second.</summary>
    public bool CountsCommands { get; private init; }

    public static async Task<RedisServer> StartAsync(bool countCommands = false)
    {
        var server = new RedisServer { CountsCommands = countCommands };
        await server.RestartAsync();
        return server;
    }

    /// <summary>Commands the server has processed since it started (INFO stats), as of its last once-a-second sample.</summary>
    public async Task<long> CommandsProcessedAsync()
    {
        if (!CountsCommands)
        {
            throw new InvalidOperationException("Start the server with countCommands: true to count its commands.");
        }
        // Plain RESP on a socket of its own: this project has no Redis client, and these two commands need none.
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(
            $"*2\r\n$4\r\nAUTH\r\n${Password.Length}\r\n{Password}\r\n*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n"));
        const string Field = "total_commands_processed:";
        var reply = "";
        var buffer = new byte[8192];
        // Read until the field's line is complete.
        while (reply.IndexOf(Field, StringComparison.Ordinal) is var at && (at < 0 || reply.IndexOf("\r\n", at, StringComparison.Ordinal) < 0))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                throw new InvalidOperationException("The Redis host closed the connection before answering INFO stats.");
            }
            reply += System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        var line = reply.Split("\r\n").First(l => l.StartsWith(Field, StringComparison.Ordinal));
        return long.Parse(line[Field.Length..], System.Globalization.CultureInfo.InvariantCulture);
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
        string[] args =
        [
            RepositoryPaths.RedisHostAssembly, "--port", Port.ToString(), "--bind", "127.0.0.1",
            "--auth", "Password", "--password", Password, "--aof", "--recover",
            "--checkpointdir", _data.Path, "--logdir", _data.Path, "--storage-tier",
            "--device-type", "RandomAccess", "--lua", "--memory", "256m", "--index", "16m",
            .. CountsCommands ? new[] { "--metrics-sampling-freq", "1" } : [],
        ];
        foreach (var arg in args)
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
