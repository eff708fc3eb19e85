using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// <c>kakao status --probe</c> for a Moltbot gateway that runs "moltbot" agents: opens the WebSocket and completes
/// the <c>connect</c> handshake (protocol 3, a backend <c>gateway-client</c>, operator.read only), then closes.
/// Read-only: no run, no message. The token is sent but never printed.
/// This is a deliberate copy of the minimal handshake of the agent-router's gateway client
/// (src/KakaoAspire.AgentRouter/Gateway/GatewaySession.cs): the CLI must not depend on a service project, and the
/// shared config library holds no networking. Change both when the handshake changes.
/// </summary>
public static class GatewayHandshakeProbe
{
    private const int ProtocolVersion = 3;

    public static async Task<Probes.Result> RunAsync(MoltbotConfig config, CancellationToken cancellationToken)
    {
        var section = config.Kakao.MoltbotGateway;
        var url = WebSocketUrl(section.Url);
        var shown = $"{url.Scheme}://{url.Authority}";
        var token = section.EffectiveToken(config.Gateway);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Probes.Result("", false, $"unreachable: could not open {shown} ({ex.GetBaseException().Message})");
        }

        try
        {
            // The gateway pushes connect.challenge first; a token client may ignore its nonce.
            var first = await ReceiveAsync(socket, TimeSpan.FromSeconds(2), timeout.Token);
            await SendAsync(socket, ConnectFrame(token), timeout.Token);
            var response = first?["type"]?.GetValue<string>() == "res" ? first : null;
            while (response is null)
            {
                var frame = await ReceiveAsync(socket, TimeSpan.FromSeconds(10), timeout.Token);
                if (frame is null)
                {
                    return Refused(shown, null, null, socket);
                }
                response = frame["type"]?.GetValue<string>() == "res" && frame["id"]?.GetValue<string>() == "probe-1" ? frame : null;
            }

            if (response["ok"]?.GetValue<bool>() == true)
            {
                var version = response["payload"]?["server"]?["version"]?.GetValue<string>() ?? "unknown";
                await CloseAsync(socket);
                return new Probes.Result("", true, $"{shown} completed the handshake with the token (gateway {version}, protocol {ProtocolVersion})");
            }
            var code = response["error"]?["code"]?.GetValue<string>();
            var message = response["error"]?["message"]?.GetValue<string>();
            // The refusal comes before the close; wait for it to read the close code.
            await ReceiveAsync(socket, TimeSpan.FromSeconds(2), timeout.Token);
            return Refused(shown, code, message, socket);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or System.Text.Json.JsonException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return new Probes.Result("", false, $"unreachable: {shown} gave no handshake answer ({ex.GetBaseException().Message})");
        }
    }

    private static Probes.Result Refused(string shown, string? code, string? message, ClientWebSocket socket)
    {
        var close = socket.CloseStatus is { } status ? $"close {(int)status}" : "no close code";
        var text = message ?? "";
        var (cause, fix) =
            socket.CloseStatus == WebSocketCloseStatus.ProtocolError || text.Contains("protocol mismatch", StringComparison.OrdinalIgnoreCase)
                ? ("protocol mismatch", "the gateway does not speak protocol 3; update Moltbot or this channel")
            : code == "NOT_PAIRED" || text.Contains("device identity required", StringComparison.OrdinalIgnoreCase)
                ? ("token missing", "set channels.kakao.moltbotGateway.token or gateway.auth.token")
            : text.StartsWith("unauthorized", StringComparison.OrdinalIgnoreCase)
                ? ("token mismatch", "channels.kakao.moltbotGateway.token (or gateway.auth.token) differs from the gateway's gateway.auth.token")
            : ("refused", "see the gateway's log");
        var said = code is null ? "" : $" (gateway said {code}: {message})";
        return new Probes.Result("", false, $"{cause}: {shown} refused the handshake, {close}{said}; {fix}");
    }

    private static JsonObject ConnectFrame(string? token)
    {
        var version = typeof(GatewayHandshakeProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";
        // The gateway validates with additionalProperties:false and rejects nulls: only keys with values go.
        var parameters = new JsonObject
        {
            ["minProtocol"] = ProtocolVersion,
            ["maxProtocol"] = ProtocolVersion,
            ["client"] = new JsonObject
            {
                ["id"] = "gateway-client", ["displayName"] = "KakaoTalk channel (status probe)", ["version"] = version,
                ["platform"] = "dotnet", ["mode"] = "backend",
            },
            ["role"] = "operator",
            ["scopes"] = new JsonArray("operator.read"),
            ["userAgent"] = $"moltbot-kakao-cli/{version}",
        };
        if (!string.IsNullOrEmpty(token))
        {
            parameters["auth"] = new JsonObject { ["token"] = token };
        }
        return new JsonObject { ["type"] = "req", ["id"] = "probe-1", ["method"] = "connect", ["params"] = parameters };
    }

    private static Uri WebSocketUrl(string url)
    {
        var builder = new UriBuilder(url);
        builder.Scheme = builder.Scheme switch { "http" => "ws", "https" => "wss", var s => s };
        return builder.Uri;
    }

    private static async Task SendAsync(ClientWebSocket socket, JsonObject frame, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>The next frame, or null when the socket closed or nothing came within <paramref name="wait"/>.</summary>
    private static async Task<JsonObject?> ReceiveAsync(ClientWebSocket socket, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (socket.State != WebSocketState.Open)
        {
            return null;
        }
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(wait);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, window.Token);
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
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "probe done", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }
}
