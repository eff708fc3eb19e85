using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.TestSupport;

/// <summary>
/// An OpenClaw (formerly Moltbot) gateway as observed running openclaw 2026.9.6 (docs/gateway-protocol.md): a
/// real WebSocket server on 127.0.0.1 and a free port. Handshake: <c>connect.challenge</c>, then <c>connect</c>
/// (protocol 4 picked from the client's range, schema checks including "no nulls", token) answered by hello-ok with
/// <c>auth.scopes</c>, or refused with the gateway's messages and close codes (1008 token mismatch, 1008 NOT_PAIRED
/// without a token, 1002 protocol mismatch, 1013 UNAVAILABLE while starting). Methods: <c>agent</c> (ack, events for
/// another run interleaved with this run's, final res; a replay by idempotency key starts no second run: it gets
/// <c>status: "in_flight"</c> while the run goes, the cached final after), <c>agent.wait</c>, <c>chat.history</c>.
/// A timed-out run is <c>ok: true, status: "timeout"</c> with an English <c>isError</c> payload; a failed one
/// <c>status: "error"</c>. Knobs per test: <see cref="RunDelay"/> (a slow run), <see cref="DropConnectionDuringNextRun"/>,
/// <see cref="RefuseWhileStarting"/>, <see cref="GrantedScopes"/>, queued replies. Every run and connect is recorded.
/// </summary>
public sealed class FakeMoltbotGateway : LoopbackServer
{
    public const int Protocol = 4;
    public const string TimeoutText = "Request timed out before a response was generated. Please try again, or increase `agents.defaults.timeoutSeconds` in your config.";
    public const string OtherRunText = "다른 세션의 답이에요 (이 글이 보이면 안 돼요)";

    private static readonly string[] ClientIds =
        ["webchat-ui", "moltbot-control-ui", "webchat", "cli", "gateway-client", "moltbot-macos", "moltbot-ios", "moltbot-android", "node-host", "test", "fingerprint", "moltbot-probe"];
    private static readonly string[] ClientModes = ["webchat", "cli", "ui", "backend", "node", "probe", "test"];
    private static readonly string[] ConnectKeys =
        ["minProtocol", "maxProtocol", "client", "caps", "commands", "permissions", "pathEnv", "role", "scopes", "device", "auth", "locale", "userAgent"];

    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly ConcurrentDictionary<string, RunState> _dedupe = new();
    private readonly ConcurrentDictionary<string, List<JsonObject>> _transcripts = new();
    private readonly ConcurrentQueue<FakeMoltbotReply> _replies = new();
    private readonly ConcurrentQueue<FakeMoltbotRun> _runs = new();
    private readonly ConcurrentQueue<JsonObject> _connects = new();
    private readonly ConcurrentQueue<string> _methods = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _seq;
    private int _dropNext;
    private int _startingRefusals;

    private FakeMoltbotGateway(string token)
    {
        Token = token;
        App.UseWebSockets();
        // Any path is the gateway's socket, as in the real one.
        App.Run(HandleAsync);
    }

    /// <summary><c>ws://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The gateway's <c>gateway.auth.token</c>.</summary>
    public string Token { get; }

    /// <summary>The protocol version this gateway speaks (4, as OpenClaw; 3 is Moltbot's).</summary>
    public int ServerProtocol { get; set; } = Protocol;

    /// <summary>
    /// The scopes hello-ok grants; null grants what the client asked for. Set <c>[]</c> for what a client from another
    /// host without an approved device gets: admitted, scopes cleared, and every <c>agent</c> refused.
    /// </summary>
    public IReadOnlyList<string>? GrantedScopes { get; set; }

    /// <summary>Connects arriving before this time are refused as the gateway does right after it starts listening.</summary>
    public DateTimeOffset StartingUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>How many connects were refused with UNAVAILABLE ("gateway starting").</summary>
    public int StartingRefusals => _startingRefusals;

    public bool SendChallenge { get; set; } = true;

    /// <summary>How long a run takes between its ack and its end.</summary>
    public TimeSpan RunDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Agent ids this gateway knows; others get "unknown agent id".</summary>
    public HashSet<string> Agents { get; } = ["main"];

    public IReadOnlyList<FakeMoltbotRun> Runs => _runs.ToArray();

    /// <summary>The params of every connect request (including refused ones).</summary>
    public IReadOnlyList<JsonObject> Connects => _connects.ToArray();

    /// <summary>Every method called after a handshake, in order (agent, agent.wait, chat.history, …).</summary>
    public IReadOnlyList<string> Methods => _methods.ToArray();

    public int OpenConnections => _connections.Count;

    public static async Task<FakeMoltbotGateway> StartAsync(string token = "gw-test-token-never-logged")
    {
        var gateway = new FakeMoltbotGateway(token);
        await gateway.ListenAsync();
        var address = gateway.BaseUrl;
        gateway.Url = address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/";
        return gateway;
    }

    /// <summary>The next runs answer these, in order; after them the agent echoes the message.</summary>
    public FakeMoltbotGateway AnswerWith(params FakeMoltbotReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }
        return this;
    }

    /// <summary>For <paramref name="duration"/> from now, every connect is refused: UNAVAILABLE, <c>retryAfterMs</c> 500, close 1013.</summary>
    public void RefuseWhileStarting(TimeSpan duration) => StartingUntil = DateTimeOffset.UtcNow + duration;

    /// <summary>The next run's connection is cut (no close frame) right after the ack; the run itself goes on.</summary>
    public void DropConnectionDuringNextRun() => Interlocked.Exchange(ref _dropNext, 1);

    public static string EchoText(string agentId, string message) => $"{agentId} 에이전트의 답: {message}";

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket);
        _connections[connection] = 0;
        try
        {
            await ServeAsync(connection);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    private async Task ServeAsync(Connection connection)
    {
        if (SendChallenge)
        {
            await connection.SendAsync(new JsonObject
            {
                ["type"] = "event", ["event"] = "connect.challenge",
                ["payload"] = new JsonObject { ["nonce"] = Guid.NewGuid().ToString(), ["ts"] = Now() },
            });
        }

        var first = await connection.ReceiveAsync(_stopping.Token);
        if (first is null)
        {
            return;
        }
        if (first["type"]?.GetValue<string>() != "req" || first["id"] is null)
        {
            await connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "invalid handshake");
            return;
        }
        var id = first["id"]!.GetValue<string>();
        if (first["method"]?.GetValue<string>() != "connect")
        {
            await RefuseAsync(connection, id, "INVALID_REQUEST", "invalid handshake: first request must be connect", WebSocketCloseStatus.PolicyViolation);
            return;
        }
        var parameters = first["params"] as JsonObject ?? [];
        _connects.Enqueue(parameters.DeepClone().AsObject());
        if (SchemaError(parameters) is { } schemaError)
        {
            await RefuseAsync(connection, id, "INVALID_REQUEST", $"invalid connect params: {schemaError}", WebSocketCloseStatus.PolicyViolation);
            return;
        }
        if (DateTimeOffset.UtcNow < StartingUntil)
        {
            Interlocked.Increment(ref _startingRefusals);
            await connection.SendAsync(new JsonObject
            {
                ["type"] = "res", ["id"] = id, ["ok"] = false,
                ["error"] = new JsonObject
                {
                    ["code"] = "UNAVAILABLE", ["message"] = "gateway starting; retry shortly", ["retryable"] = true, ["retryAfterMs"] = 500,
                    ["details"] = new JsonObject { ["reason"] = "startup-sidecars" },
                },
            });
            await connection.CloseAsync((WebSocketCloseStatus)1013, "gateway starting");
            return;
        }
        if (parameters["maxProtocol"]!.GetValue<int>() < ServerProtocol || parameters["minProtocol"]!.GetValue<int>() > ServerProtocol)
        {
            await connection.SendAsync(new JsonObject
            {
                ["type"] = "res", ["id"] = id, ["ok"] = false,
                ["error"] = new JsonObject
                {
                    ["code"] = "INVALID_REQUEST", ["message"] = "protocol mismatch",
                    ["details"] = new JsonObject { ["expectedProtocol"] = ServerProtocol },
                },
            });
            await connection.CloseAsync(WebSocketCloseStatus.ProtocolError, "protocol mismatch");
            return;
        }
        var token = parameters["auth"]?["token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token) && parameters["auth"]?["deviceToken"] is null)
        {
            if (parameters["device"] is null)
            {
                await RefuseAsync(connection, id, "NOT_PAIRED", "device identity required", WebSocketCloseStatus.PolicyViolation);
            }
            else
            {
                await RefuseAsync(connection, id, "INVALID_REQUEST", "unauthorized: gateway token missing (provide gateway auth token)",
                    WebSocketCloseStatus.PolicyViolation);
            }
            return;
        }
        if (!string.Equals(token, Token, StringComparison.Ordinal))
        {
            await RefuseAsync(connection, id, "INVALID_REQUEST",
                "unauthorized: gateway token mismatch (provide gateway auth token)", WebSocketCloseStatus.PolicyViolation);
            return;
        }

        var requested = parameters["scopes"] is JsonArray asked ? asked.Select(a => a!.GetValue<string>()).ToList() : [];
        connection.Scopes = GrantedScopes?.ToList() ?? requested;
        await connection.SendAsync(Response(id, HelloOk(connection.Scopes)));
        connection.Ready = true;
        while (await connection.ReceiveAsync(_stopping.Token) is { } frame)
        {
            _ = HandleRequestAsync(connection, frame);
        }
    }

    private async Task HandleRequestAsync(Connection connection, JsonObject frame)
    {
        var id = frame["id"]?.GetValue<string>() ?? "";
        var method = frame["method"]?.GetValue<string>() ?? "";
        var parameters = frame["params"] as JsonObject ?? [];
        _methods.Enqueue(method);
        try
        {
            switch (method)
            {
                case "agent":
                    await AgentAsync(connection, id, parameters);
                    break;
                case "agent.wait":
                    await AgentWaitAsync(connection, id, parameters);
                    break;
                case "chat.history":
                    await connection.SendAsync(Response(id, History(parameters)));
                    break;
                default:
                    await connection.SendAsync(Error(id, "INVALID_REQUEST", $"unknown method: {method}"));
                    break;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task AgentAsync(Connection connection, string id, JsonObject parameters)
    {
        if (!connection.Scopes.Contains("operator.write"))
        {
            await connection.SendAsync(new JsonObject
            {
                ["type"] = "res", ["id"] = id, ["ok"] = false,
                ["error"] = new JsonObject
                {
                    ["code"] = "FORBIDDEN", ["message"] = "missing scope: operator.write",
                    ["details"] = new JsonObject { ["code"] = "MISSING_SCOPE", ["missingScope"] = "operator.write" },
                },
            });
            return;
        }
        var message = parameters["message"]?.GetValue<string>();
        var key = parameters["idempotencyKey"]?.GetValue<string>();
        var agentId = parameters["agentId"]?.GetValue<string>();
        var sessionKey = parameters["sessionKey"]?.GetValue<string>();
        var channel = parameters["channel"]?.GetValue<string>();
        if (string.IsNullOrEmpty(message) || string.IsNullOrEmpty(key) || parameters.Any(p => p.Value is null))
        {
            await connection.SendAsync(Error(id, "INVALID_REQUEST", "invalid agent params: message and idempotencyKey are required, nulls are not allowed"));
            return;
        }
        if (channel is not null && channel is not ("webchat" or "last" or "telegram" or "whatsapp" or "discord" or "slack" or "signal"))
        {
            await connection.SendAsync(Error(id, "INVALID_REQUEST", $"invalid agent params: unknown channel: {channel}"));
            return;
        }
        if (agentId is not null && !Agents.Contains(agentId))
        {
            await connection.SendAsync(Error(id, "INVALID_REQUEST", "invalid agent params: unknown agent id"));
            return;
        }
        if (agentId is not null && sessionKey is not null && sessionKey.Split(':') is ["agent", var keyAgent, ..] && keyAgent != agentId)
        {
            await connection.SendAsync(Error(id, "INVALID_REQUEST", "invalid agent params: agentId does not match session key"));
            return;
        }

        var state = new RunState(Now());
        var existing = _dedupe.GetOrAdd(key, state);
        if (existing != state)
        {
            // A replay: one res with the cached final, or "in_flight" (and nothing after it) while the run goes on.
            await connection.SendAsync(existing.Final is { } final ? Retagged(final, id) : InFlight(id, key, sessionKey, agentId));
            return;
        }

        var run = new FakeMoltbotRun(key, sessionKey, agentId, message, parameters.DeepClone().AsObject());
        _runs.Enqueue(run);
        await connection.SendAsync(Ack(id, key, state.AcceptedAt));
        if (Interlocked.Exchange(ref _dropNext, 0) == 1)
        {
            connection.Abort();
        }
        await RunAsync(connection, id, run, state);
    }

    private async Task RunAsync(Connection connection, string id, FakeMoltbotRun run, RunState state)
    {
        var sessionKey = run.SessionKey ?? $"agent:{run.AgentId ?? "main"}:main";
        var other = $"other-{Guid.NewGuid():N}";
        var otherSession = "agent:main:kakao:default:dm:someone-else";
        // Every operator gets every run's events: another session's run interleaves with this one.
        await BroadcastAsync(AgentEvent(other, otherSession, "lifecycle", new JsonObject { ["phase"] = "start" }));
        await BroadcastAsync(AgentEvent(run.IdempotencyKey, sessionKey, "lifecycle", new JsonObject { ["phase"] = "start", ["startedAt"] = Now() }));
        await BroadcastAsync(AgentEvent(other, otherSession, "assistant", new JsonObject { ["text"] = OtherRunText, ["delta"] = OtherRunText }));
        await BroadcastAsync(ChatEvent(other, otherSession, "final", OtherRunText));
        await BroadcastAsync(AgentEvent(other, otherSession, "lifecycle", new JsonObject { ["phase"] = "end" }));

        try
        {
            await Task.Delay(RunDelay, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var reply = _replies.TryDequeue(out var next) ? next : FakeMoltbotReply.Text(EchoText(run.AgentId ?? "main", run.Message));
        var text = string.Join("\n\n", reply.Texts);
        var transcript = _transcripts.GetOrAdd(sessionKey, _ => []);
        lock (transcript)
        {
            transcript.Add(new JsonObject { ["role"] = "user", ["content"] = run.Message, ["timestamp"] = Now() });
            if (reply.Error is null && !reply.TimesOut)
            {
                transcript.Add(new JsonObject
                {
                    ["role"] = "assistant",
                    ["content"] = new JsonArray(TextPart(reply.Texts.Count == 0 ? "NO_REPLY" : text)),
                    ["timestamp"] = Now(),
                });
            }
        }

        JsonObject final;
        if (reply.TimesOut)
        {
            await BroadcastAsync(AgentEvent(run.IdempotencyKey, sessionKey, "lifecycle", new JsonObject { ["phase"] = "error", ["timeoutPhase"] = "provider" }));
            final = Response(id, new JsonObject
            {
                ["runId"] = run.IdempotencyKey, ["status"] = "timeout", ["summary"] = "aborted", ["timeoutPhase"] = "provider",
                ["result"] = new JsonObject { ["payloads"] = new JsonArray(new JsonObject { ["text"] = TimeoutText, ["isError"] = true, ["mediaUrl"] = null }) },
            });
        }
        else if (reply.Error is null)
        {
            if (text.Length > 0)
            {
                await BroadcastAsync(AgentEvent(run.IdempotencyKey, sessionKey, "assistant", new JsonObject { ["text"] = text, ["delta"] = text }));
            }
            await BroadcastAsync(AgentEvent(run.IdempotencyKey, sessionKey, "lifecycle", new JsonObject { ["phase"] = "end", ["endedAt"] = Now() }));
            await BroadcastAsync(ChatEvent(run.IdempotencyKey, sessionKey, "final", text));
            var payloads = new JsonArray();
            foreach (var t in reply.Texts)
            {
                payloads.Add(new JsonObject { ["text"] = t, ["mediaUrl"] = null });
            }
            if (reply.MediaUrls is { Count: > 0 } media)
            {
                payloads.Add(new JsonObject
                {
                    ["text"] = "", ["mediaUrl"] = media[0],
                    ["mediaUrls"] = new JsonArray(media.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
                });
            }
            final = Response(id, new JsonObject
            {
                ["runId"] = run.IdempotencyKey, ["status"] = "ok", ["summary"] = "completed",
                ["result"] = new JsonObject { ["payloads"] = payloads, ["meta"] = new JsonObject { ["durationMs"] = (int)RunDelay.TotalMilliseconds } },
            });
        }
        else
        {
            await BroadcastAsync(AgentEvent(run.IdempotencyKey, sessionKey, "lifecycle", new JsonObject { ["phase"] = "error", ["error"] = reply.Error }));
            // A failed run still answers ok:true; its status and an isError payload say it failed.
            final = Response(id, new JsonObject
            {
                ["runId"] = run.IdempotencyKey, ["status"] = "error", ["summary"] = reply.Error,
                ["result"] = new JsonObject { ["payloads"] = new JsonArray(new JsonObject { ["text"] = reply.Error, ["isError"] = true, ["mediaUrl"] = null }) },
            });
        }
        state.Finish(final, reply.TimesOut ? "timeout" : reply.Error is null ? "ok" : "error");
        // The second res goes only to the request's own connection; after a drop it is lost (the gateway's behaviour).
        if (connection.IsOpen)
        {
            await connection.SendAsync(final);
        }
    }

    private async Task AgentWaitAsync(Connection connection, string id, JsonObject parameters)
    {
        var runId = parameters["runId"]?.GetValue<string>() ?? "";
        var timeout = TimeSpan.FromMilliseconds(parameters["timeoutMs"]?.GetValue<int>() ?? 30_000);
        var status = "timeout";
        if (_dedupe.TryGetValue(runId, out var state))
        {
            try
            {
                status = await state.Done.WaitAsync(timeout, _stopping.Token);
            }
            catch (TimeoutException)
            {
            }
        }
        else
        {
            await Task.Delay(timeout, _stopping.Token);
        }
        await connection.SendAsync(Response(id, new JsonObject { ["runId"] = runId, ["status"] = status, ["startedAt"] = state?.AcceptedAt, ["endedAt"] = Now() }));
    }

    private JsonObject History(JsonObject parameters)
    {
        var sessionKey = parameters["sessionKey"]?.GetValue<string>() ?? "";
        var limit = parameters["limit"]?.GetValue<int>() ?? 200;
        var messages = new JsonArray();
        if (_transcripts.TryGetValue(sessionKey, out var transcript))
        {
            lock (transcript)
            {
                foreach (var message in transcript.TakeLast(limit))
                {
                    messages.Add(message.DeepClone());
                }
            }
        }
        return new JsonObject { ["sessionKey"] = sessionKey, ["sessionId"] = Guid.NewGuid().ToString(), ["messages"] = messages, ["thinkingLevel"] = "low" };
    }

    /// <summary>The schema checks the real gateway makes with additionalProperties:false, plus "a null is never a string".</summary>
    private static string? SchemaError(JsonObject parameters)
    {
        if (FindNull(parameters, "") is { } nullPath)
        {
            return $"{nullPath} must be string";
        }
        if (parameters.Select(p => p.Key).FirstOrDefault(k => !ConnectKeys.Contains(k)) is { } extra)
        {
            return $"must NOT have additional properties ({extra})";
        }
        if (parameters["minProtocol"] is not JsonValue || parameters["maxProtocol"] is not JsonValue)
        {
            return "must have required property 'minProtocol'/'maxProtocol'";
        }
        var client = parameters["client"] as JsonObject;
        if (client?["id"]?.GetValue<string>() is not { } clientId || !ClientIds.Contains(clientId))
        {
            return "/client/id must be equal to one of the allowed values";
        }
        if (client["mode"]?.GetValue<string>() is not { } mode || !ClientModes.Contains(mode))
        {
            return "/client/mode must be equal to one of the allowed values";
        }
        if (string.IsNullOrEmpty(client["version"]?.GetValue<string>()) || string.IsNullOrEmpty(client["platform"]?.GetValue<string>()))
        {
            return "/client must have non-empty version and platform";
        }
        if (parameters["role"]?.GetValue<string>() is { } role && role is not ("operator" or "node"))
        {
            return "invalid role";
        }
        return null;
    }

    private static string? FindNull(JsonNode? node, string path) => node switch
    {
        null => path,
        JsonObject obj => obj.Select(p => FindNull(p.Value, $"{path}/{p.Key}")).FirstOrDefault(p => p is not null),
        JsonArray array => array.Select((n, i) => FindNull(n, $"{path}/{i}")).FirstOrDefault(p => p is not null),
        _ => null,
    };

    private JsonObject HelloOk(IReadOnlyList<string> scopes) => new()
    {
        ["type"] = "hello-ok",
        ["protocol"] = ServerProtocol,
        ["auth"] = new JsonObject
        {
            ["method"] = "token", ["role"] = "operator",
            ["scopes"] = new JsonArray(scopes.Select(scope => (JsonNode)JsonValue.Create(scope)!).ToArray()),
        },
        ["server"] = new JsonObject { ["version"] = "2026.1.29-fake", ["host"] = "fake", ["connId"] = Guid.NewGuid().ToString("N") },
        ["features"] = new JsonObject
        {
            ["methods"] = new JsonArray("health", "agents.list", "agent", "agent.wait", "chat.history"),
            ["events"] = new JsonArray("connect.challenge", "agent", "chat", "tick", "shutdown"),
        },
        ["snapshot"] = new JsonObject
        {
            ["presence"] = new JsonArray(), ["health"] = new JsonObject(), ["uptimeMs"] = 1000,
            ["stateVersion"] = new JsonObject { ["presence"] = 1, ["health"] = 1 },
            ["sessionDefaults"] = new JsonObject { ["defaultAgentId"] = "main", ["mainKey"] = "main", ["mainSessionKey"] = "agent:main:main", ["scope"] = "per-sender" },
        },
        ["policy"] = new JsonObject { ["maxPayload"] = 524288, ["maxBufferedBytes"] = 1572864, ["tickIntervalMs"] = 30000 },
    };

    private async Task RefuseAsync(Connection connection, string id, string code, string message, WebSocketCloseStatus status)
    {
        await connection.SendAsync(Error(id, code, message));
        // The close reason is the message truncated to 120 bytes.
        await connection.CloseAsync(status, message.Length > 120 ? message[..120] : message);
    }

    private Task BroadcastAsync(JsonObject frame)
    {
        frame["seq"] = Interlocked.Increment(ref _seq);
        return Task.WhenAll(_connections.Keys.Where(c => c.Ready && c.IsOpen).Select(c => c.TrySendAsync(frame)));
    }

    private static JsonObject Response(string id, JsonObject payload) => new() { ["type"] = "res", ["id"] = id, ["ok"] = true, ["payload"] = payload };

    private static JsonObject Ack(string id, string runId, long acceptedAt) =>
        Response(id, new JsonObject { ["runId"] = runId, ["status"] = "accepted", ["acceptedAt"] = acceptedAt });

    private static JsonObject InFlight(string id, string runId, string? sessionKey, string? agentId) =>
        Response(id, new JsonObject { ["runId"] = runId, ["status"] = "in_flight", ["sessionKey"] = sessionKey, ["agentId"] = agentId });

    private static JsonObject Retagged(JsonObject final, string id)
    {
        var copy = final.DeepClone().AsObject();
        copy["id"] = id;
        return copy;
    }

    private static JsonObject Error(string id, string code, string message) => new()
    {
        ["type"] = "res", ["id"] = id, ["ok"] = false, ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    private static JsonObject AgentEvent(string runId, string sessionKey, string stream, JsonObject data) => new()
    {
        ["type"] = "event", ["event"] = "agent",
        ["payload"] = new JsonObject { ["runId"] = runId, ["stream"] = stream, ["data"] = data, ["sessionKey"] = sessionKey, ["seq"] = 1, ["ts"] = Now() },
    };

    private static JsonObject ChatEvent(string runId, string sessionKey, string state, string text) => new()
    {
        ["type"] = "event", ["event"] = "chat",
        ["payload"] = new JsonObject
        {
            ["runId"] = runId, ["sessionKey"] = sessionKey, ["seq"] = 2, ["state"] = state,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(TextPart(text)), ["timestamp"] = Now() },
        },
    };

    private static JsonObject TextPart(string text) => new() { ["type"] = "text", ["text"] = text };

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public override async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }
        await base.DisposeAsync();
        _stopping.Dispose();
    }

    private sealed class RunState(long acceptedAt)
    {
        private readonly TaskCompletionSource<string> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long AcceptedAt { get; } = acceptedAt;

        public JsonObject? Final { get; private set; }

        public Task<string> Done => _done.Task;

        public void Finish(JsonObject final, string status)
        {
            Final = final;
            _done.TrySetResult(status);
        }
    }

    private sealed class Connection(WebSocket socket)
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public bool Ready { get; set; }

        public List<string> Scopes { get; set; } = [];

        public bool IsOpen => socket.State == WebSocketState.Open;

        public async Task SendAsync(JsonObject frame)
        {
            var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
            await _sendLock.WaitAsync();
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        public async Task TrySendAsync(JsonObject frame)
        {
            try
            {
                await SendAsync(frame);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
            }
        }

        public async Task<JsonObject?> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return JsonNode.Parse(message.ToArray()) as JsonObject;
                }
            }
        }

        public async Task CloseAsync(WebSocketCloseStatus status, string reason)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await socket.CloseAsync(status, reason, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        public void Abort() => socket.Abort();
    }
}
