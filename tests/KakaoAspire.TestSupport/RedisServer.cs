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

    /// <summary>
    /// Arguments added to the server's command line from the next (re)start on, e.g. the sizes an older version ran with.
    /// </summary>
    public IReadOnlyList<string> ExtraArguments { get; set; } = [];

    /// <summary>True when the server keeps its command count (<see cref="CommandsProcessedAsync"/>), sampled once a second.</summary>
    public bool CountsCommands { get; private init; }

    // The AUTH and INFO commands CommandsProcessedAsync has sent: the server counts them too.
    private long _ownCommands;

    public static async Task<RedisServer> StartAsync(bool countCommands = false, IReadOnlyList<string>? extraArguments = null)
    {
        var server = new RedisServer { CountsCommands = countCommands, ExtraArguments = extraArguments ?? [] };
        await server.RestartAsync();
        return server;
    }

    /// <summary>
    /// Commands the server has processed since it started, leaving out this helper's own. Garnet's INFO stats is a sample
    /// taken once a second, not a live count: a figure read at once may be a second old and miss that second's commands
    /// (or, taken as a "before", count them in the next window). So this waits for the next sample, which is then at most
    /// one look (50 ms) old.
    /// </summary>
    public async Task<long> CommandsProcessedAsync()
    {
        if (!CountsCommands)
        {
            throw new InvalidOperationException("Start the server with countCommands: true to count its commands.");
        }
        // Plain RESP on a socket of its own: this project has no Redis client, and these two commands need none.
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var connection = new RespLines(client.GetStream());
        await connection.SendAsync("AUTH", Password);
        Interlocked.Increment(ref _ownCommands);
        await connection.ReadReplyAsync();
        var first = await TotalCommandsAsync(connection);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await Task.Delay(50);
            var now = await TotalCommandsAsync(connection);
            if (now != first)
            {
                // Every command of ours is in this sample but the INFO that read it, which the server handled after it.
                return now - (Interlocked.Read(ref _ownCommands) - 1);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The Redis host took no new command sample within 10 s (started without --metrics-sampling-freq?).");
            }
        }
    }

    private async Task<long> TotalCommandsAsync(RespLines connection)
    {
        const string Field = "total_commands_processed:";
        await connection.SendAsync("INFO", "stats");
        Interlocked.Increment(ref _ownCommands);
        var line = (await connection.ReadReplyAsync()).Split("\r\n").First(l => l.StartsWith(Field, StringComparison.Ordinal));
        return long.Parse(line[Field.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Just enough RESP for AUTH and INFO: commands as arrays of bulk strings, replies as simple or bulk strings.</summary>
    private sealed class RespLines(NetworkStream stream)
    {
        private readonly List<byte> _buffer = [];

        public Task SendAsync(params string[] parts)
        {
            var command = new System.Text.StringBuilder($"*{parts.Length}\r\n");
            foreach (var part in parts)
            {
                command.Append($"${System.Text.Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
            }
            return stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(command.ToString())).AsTask();
        }

        public async Task<string> ReadReplyAsync()
        {
            var header = await ReadLineAsync();
            if (header.StartsWith('-'))
            {
                throw new InvalidOperationException($"The Redis host answered {header}");
            }
            if (!header.StartsWith('$'))
            {
                return header;
            }
            var length = int.Parse(header[1..], System.Globalization.CultureInfo.InvariantCulture);
            await FillAsync(length + 2);
            var body = System.Text.Encoding.UTF8.GetString([.. _buffer.GetRange(0, length)]);
            _buffer.RemoveRange(0, length + 2);
            return body;
        }

        private async Task<string> ReadLineAsync()
        {
            int end;
            while ((end = IndexOfLineEnd()) < 0)
            {
                await FillAsync(_buffer.Count + 1);
            }
            var line = System.Text.Encoding.UTF8.GetString([.. _buffer.GetRange(0, end)]);
            _buffer.RemoveRange(0, end + 2);
            return line;
        }

        private int IndexOfLineEnd()
        {
            for (var i = 0; i + 1 < _buffer.Count; i++)
            {
                if (_buffer[i] == '\r' && _buffer[i + 1] == '\n')
                {
                    return i;
                }
            }
            return -1;
        }

        private async Task FillAsync(int count)
        {
            var chunk = new byte[8192];
            while (_buffer.Count < count)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    throw new InvalidOperationException("The Redis host closed the connection before answering.");
                }
                _buffer.AddRange(chunk.AsSpan(0, read));
            }
        }
    }

    /// <summary>The server's data folder (checkpoints, log, append-only file under AOF).</summary>
    public string DataPath => _data.Path;

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
            "--device-type", "RandomAccess", "--lua",
            .. CountsCommands ? new[] { "--metrics-sampling-freq", "1" } : [],
            .. ExtraArguments,
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
