using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// One open, authenticated WebSocket to a Moltbot gateway. A single reader loop always reads, so the gateway never
/// drops us as a slow consumer (it closes a client whose send buffer passes 1.5 MiB), and dispatches three ways:
/// <c>res</c> frames to the request with that id, <c>agent</c>/<c>chat</c> events to the watches of that run id,
/// everything else only resets the silence timer (the gateway ticks every 30 s).
/// </summary>
internal sealed class GatewaySession : IAsyncDisposable
{
    // Server-to-client frames can be large (the gateway's own client allows 25 MiB).
    private const int MaxFrameBytes = 32 * 1024 * 1024;

    private static readonly string ClientVersion =
        typeof(GatewaySession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";

    private readonly ClientWebSocket _socket;
    private readonly ILogger _logger;
    private readonly string _gateway;
    private readonly ConcurrentDictionary<string, Channel<GatewayResponse>> _calls = new();
    private readonly ConcurrentDictionary<RunWatch, byte> _watches = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<ConnectChallenge> _challenge = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private TimeSpan _silenceLimit;
    private long _nextId;
    private Task _reader = Task.CompletedTask;

    private GatewaySession(ClientWebSocket socket, string gateway, TimeSpan silenceLimit, ILogger logger)
    {
        (_socket, _gateway, _silenceLimit, _logger) = (socket, gateway, silenceLimit, logger);
    }

    /// <summary>Completes with a description of the close (code and reason) when the socket is gone.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    public string? ServerVersion { get; private set; }

    /// <summary>The protocol version the gateway chose within our range (<c>hello-ok.protocol</c>).</summary>
    public int Protocol { get; private set; }

    /// <summary><c>hello-ok.auth.scopes</c>: what this socket may do; null when the gateway did not say (before protocol 4).</summary>
    public IReadOnlyList<string>? Scopes { get; private set; }

    /// <summary>How the gateway admitted us (<c>hello-ok.auth.method</c>: "token", "device-token", …).</summary>
    public string? AuthMethod { get; private set; }

    /// <summary>Opens the socket and completes the <c>connect</c> handshake, or throws <see cref="MoltbotGatewayException"/>.</summary>
    public static async Task<GatewaySession> OpenAsync(
        Uri url, string gateway, GatewayCredentials credentials, GatewayClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new MoltbotGatewayException(GatewayFailureCause.Unreachable, $"could not open {gateway} ({Innermost(ex)})");
        }

        var session = new GatewaySession(socket, gateway, options.HandshakeTimeout, logger);
        session._reader = Task.Run(session.ReadAsync, CancellationToken.None);
        try
        {
            await session.HandshakeAsync(credentials, options, cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private async Task HandshakeAsync(GatewayCredentials credentials, GatewayClientOptions options, CancellationToken cancellationToken)
    {
        // The gateway pushes connect.challenge at once; a device identity signs its nonce and ts. A gateway that
        // sends none (older ones) still gets our connect, without a device, after a short wait.
        await Task.WhenAny(_challenge.Task, _closed.Task, Task.Delay(options.ChallengeWait, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        ConnectChallenge? challenge = _challenge.Task.IsCompletedSuccessfully ? _challenge.Task.Result : null;

        var client = GatewayHandshake.Client("KakaoTalk channel", ClientVersion, $"kakao-{Environment.MachineName}".ToLowerInvariant());
        var parameters = GatewayHandshake.ConnectParams(client, $"kakao-channel/{ClientVersion}", credentials.Token, credentials.Device,
            credentials.GatewayKey, challenge);
        var deviceToken = parameters.Auth?.DeviceToken;

        GatewayResponse hello;
        try
        {
            using var call = await CallAsync("connect", parameters, GatewayJsonContext.Default.ConnectParams, cancellationToken);
            hello = await call.NextAsync(cancellationToken);
        }
        catch (GatewayConnectionLostException lost)
        {
            throw GatewayRefusal.From(null, lost.Detail, sentDeviceToken: false, credentials.Device);
        }

        if (!hello.Ok)
        {
            // The refusal comes first, then the close; its code tells a protocol mismatch (1002) from auth (1008).
            var close = await _closed.Task.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None)
                .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "socket still open", TaskScheduler.Default);
            var refusal = GatewayRefusal.From(hello, close, sentDeviceToken: deviceToken is not null, credentials.Device);
            if (refusal.Cause == GatewayFailureCause.DeviceTokenRejected)
            {
                // Revoked or rotated on the gateway: the next attempt signs in with the shared token (or asks for approval).
                credentials.Device?.ForgetDeviceToken(credentials.GatewayKey, GatewayHandshake.Role);
            }
            throw refusal;
        }

        var helloPayload = hello.Payload;
        ServerVersion = GatewayResponse.Text(helloPayload is { } p && p.TryGetProperty("server", out var server) ? server : null, "version");
        Protocol = helloPayload is { } hp && hp.TryGetProperty("protocol", out var protocol) && protocol.TryGetInt32(out var version) ? version : GatewayHandshake.MinProtocol;
        var tickMs = helloPayload is { } payloadElement && payloadElement.TryGetProperty("policy", out var policy)
            && policy.TryGetProperty("tickIntervalMs", out var tick) && tick.TryGetInt32(out var ms) && ms > 0 ? ms : 30_000;
        // The gateway's own client gives up on a socket that stayed silent for two tick intervals.
        _silenceLimit = TimeSpan.FromMilliseconds(tickMs * 2);

        if (helloPayload is { } ap && ap.TryGetProperty("auth", out var authInfo) && authInfo.ValueKind == JsonValueKind.Object)
        {
            AuthMethod = GatewayResponse.Text(authInfo, "method");
            Scopes = authInfo.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array
                ? scopes.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
                : [];
            if (GatewayResponse.Text(authInfo, "deviceToken") is { Length: > 0 } issued && credentials.Device is { } owner
                && (GatewayResponse.Text(authInfo, "role") ?? GatewayHandshake.Role) == GatewayHandshake.Role)
            {
                owner.SaveDeviceToken(credentials.GatewayKey, GatewayHandshake.Role, issued, Scopes);
            }
        }

        // Admitted is not allowed: from another host without an approved device the gateway clears our scopes, and
        // every run would fail with "missing scope". Say so now, with the fix, instead of at each turn.
        if (Scopes is { } granted && !granted.Contains(GatewayHandshake.WriteScope))
        {
            throw new MoltbotGatewayException(GatewayFailureCause.ScopeMissing,
                $"{_gateway} admitted us with scopes [{string.Join(", ", granted)}], without {GatewayHandshake.WriteScope}; {GatewayRefusal.ScopeFix(credentials.Device)}");
        }
    }

    /// <summary>Sends a request; its <c>res</c> frames (an <c>agent</c> request gets two) arrive through the call.</summary>
    public async Task<GatewayCall> CallAsync<T>(string method, T parameters, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var id = $"{method[0]}-{Interlocked.Increment(ref _nextId)}";
        var responses = Channel.CreateUnbounded<GatewayResponse>(new UnboundedChannelOptions { SingleWriter = true });
        _calls[id] = responses;
        var call = new GatewayCall(id, responses, () => _calls.TryRemove(id, out _));
        if (!IsOpen)
        {
            // The reader already failed every pending call; this one came too late for that.
            call.Dispose();
            throw new GatewayConnectionLostException(await _closed.Task);
        }

        var frame = new RequestFrame("req", id, method, JsonSerializer.SerializeToElement(parameters, typeInfo));
        var bytes = JsonSerializer.SerializeToUtf8Bytes(frame, GatewayJsonContext.Default.RequestFrame);
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            // Not cancellable: a cancelled send aborts the whole socket, and other turns share it.
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            call.Dispose();
            throw new GatewayConnectionLostException($"send failed ({ex.Message})");
        }
        finally
        {
            _sendLock.Release();
        }
        return call;
    }

    /// <summary>Watches the events of one run (filtered on <c>payload.runId</c>; every operator gets every run's events).</summary>
    public RunWatch Watch(string runId)
    {
        var watch = new RunWatch(runId, w => _watches.TryRemove(w, out _));
        _watches[watch] = 0;
        if (!IsOpen)
        {
            watch.Lost();
        }
        return watch;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        var close = "closed";
        try
        {
            while (true)
            {
                using var silence = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                silence.CancelAfter(_silenceLimit);
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), silence.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    close = $"{(int?)_socket.CloseStatus} {_socket.CloseStatusDescription}".Trim();
                    break;
                }
                frame.Write(buffer, 0, result.Count);
                if (frame.Length > MaxFrameBytes)
                {
                    close = $"a frame passed {MaxFrameBytes} bytes";
                    break;
                }
                if (result.EndOfMessage)
                {
                    Dispatch(frame.GetBuffer().AsMemory(0, (int)frame.Length));
                    frame.SetLength(0);
                }
            }
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            close = $"no frame (not even a tick) for {_silenceLimit.TotalSeconds:0} s";
        }
        catch (OperationCanceledException)
        {
            close = "closed by us";
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            close = $"dropped ({ex.Message})";
        }
        finally
        {
            _closed.TrySetResult(close);
            foreach (var calls in _calls.Values)
            {
                calls.Writer.TryComplete(new GatewayConnectionLostException(close));
            }
            foreach (var watch in _watches.Keys)
            {
                watch.Lost();
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            switch (GatewayResponse.Text(root, "type"))
            {
                case "res":
                    var response = GatewayResponse.From(root);
                    if (_calls.TryGetValue(response.Id, out var responses))
                    {
                        responses.Writer.TryWrite(response);
                    }
                    break;
                case "event":
                    var name = GatewayResponse.Text(root, "event");
                    var payload = root.TryGetProperty("payload", out var p) ? p : default;
                    if (name == "connect.challenge")
                    {
                        var nonce = GatewayResponse.Text(payload, "nonce") ?? "";
                        var ts = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("ts", out var t) && t.TryGetInt64(out var at)
                            ? at : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        _challenge.TrySetResult(new ConnectChallenge(nonce, ts));
                    }
                    else if (name is "agent" or "chat" && GatewayResponse.Text(payload, "runId") is { } runId)
                    {
                        foreach (var watch in _watches.Keys.Where(w => w.RunId == runId))
                        {
                            watch.Observe(name, payload);
                        }
                    }
                    else if (name == "shutdown")
                    {
                        _logger.LogInformation("Moltbot gateway {Gateway} is shutting down ({Reason})", _gateway, GatewayResponse.Text(payload, "reason"));
                    }
                    break;
            }
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Moltbot gateway {Gateway} sent a frame that is not JSON ({Error}); ignored", _gateway, ex.Message);
        }
    }

    private static string Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e.Message;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
        await _stop.CancelAsync();
        await _reader;
        _socket.Dispose();
        _stop.Dispose();
        // _sendLock stays undisposed: a turn holding this session may still try to send, and must see a lost connection.
    }
}

/// <summary>The <c>res</c> frames of one request, in order; fails with <see cref="GatewayConnectionLostException"/> on a drop.</summary>
internal sealed class GatewayCall(string id, Channel<GatewayResponse> responses, Action remove) : IDisposable
{
    public string Id { get; } = id;

    public async Task<GatewayResponse> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await responses.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is GatewayConnectionLostException lost)
        {
            throw lost;
        }
    }

    public void Dispose()
    {
        remove();
        // Anyone still reading (a final we stopped waiting for) ends instead of waiting forever.
        responses.Writer.TryComplete();
    }
}

/// <summary>Whether a run has ended, as its <c>agent</c> lifecycle or <c>chat</c> final/error events say.</summary>
internal sealed class RunWatch(string runId, Action<RunWatch> remove) : IDisposable
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string RunId { get; } = runId;

    /// <summary>Completes when the run ended; fails with <see cref="GatewayConnectionLostException"/> when the socket went first.</summary>
    public Task Ended => _ended.Task;

    public void Observe(string eventName, JsonElement payload)
    {
        var ended = eventName switch
        {
            "agent" => GatewayResponse.Text(payload, "stream") == "lifecycle"
                && payload.TryGetProperty("data", out var data) && GatewayResponse.Text(data, "phase") is "end" or "error",
            "chat" => GatewayResponse.Text(payload, "state") is "final" or "error" or "aborted",
            _ => false,
        };
        if (ended)
        {
            _ended.TrySetResult();
        }
    }

    public void Lost()
    {
        if (_ended.TrySetException(new GatewayConnectionLostException("the connection closed before the run ended")))
        {
            _ = _ended.Task.Exception; // observed: the caller may already have moved on
        }
    }

    public void Dispose() => remove(this);
}
