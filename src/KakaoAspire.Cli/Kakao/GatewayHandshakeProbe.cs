using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Gateway.Protocol;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Cli.Kakao;

/// <summary>
/// <c>kakao status --probe</c> for the OpenClaw (Moltbot) gateway that runs agents: opens the WebSocket and completes
/// the <c>connect</c> handshake (protocols 3–4, a backend <c>gateway-client</c> asking operator.read and operator.write,
/// signed with the channel's device identity from the Kakao state folder), checks that <c>hello-ok.auth.scopes</c>
/// holds operator.write (without it every turn fails), then closes. Read-only: no run, no message. The token is sent
/// but never printed.
/// The connect request is the agent-router's (<see cref="GatewayHandshake"/>), with a display name and user agent of its own.
/// </summary>
public static class GatewayHandshakeProbe
{
    private const string ProbeId = "probe-1";

    public static async Task<StatusProbes.Result> RunAsync(MoltbotConfig config, string kakaoStateDirectory, CancellationToken cancellationToken)
    {
        var section = config.Kakao.MoltbotGateway;
        var url = GatewayHandshake.WebSocketUrl(section.Url);
        var shown = $"{url.Scheme}://{url.Authority}";
        var token = section.EffectiveToken(config.Gateway);
        OpenClawDeviceIdentity? device;
        try
        {
            device = OpenClawDeviceIdentity.LoadOrCreate(kakaoStateDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            device = null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        using var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new StatusProbes.Result("", false, $"unreachable: could not open {shown} ({ex.GetBaseException().Message})");
        }

        try
        {
            // The gateway pushes connect.challenge first; the device identity signs its nonce and ts.
            var first = await ReceiveAsync(socket, TimeSpan.FromSeconds(2), timeout.Token);
            var challenge = first?["event"]?.GetValue<string>() == "connect.challenge" ? first["payload"] : null;
            await SendAsync(socket, ConnectFrame(token, device, shown, Challenge(challenge)), timeout.Token);
            var response = first?["type"]?.GetValue<string>() == "res" ? first : null;
            while (response is null)
            {
                var frame = await ReceiveAsync(socket, TimeSpan.FromSeconds(10), timeout.Token);
                if (frame is null)
                {
                    return Refused(shown, null, null, socket);
                }
                response = frame["type"]?.GetValue<string>() == "res" && frame["id"]?.GetValue<string>() == ProbeId ? frame : null;
            }

            if (response["ok"]?.GetValue<bool>() == true)
            {
                var payload = response["payload"];
                var version = payload?["server"]?["version"]?.GetValue<string>() ?? "unknown";
                var protocol = payload?["protocol"]?.GetValue<int>() ?? GatewayHandshake.MinProtocol;
                var auth = payload?["auth"];
                var scopes = auth?["scopes"] is JsonArray granted ? granted.Select(g => g?.GetValue<string>() ?? "").ToList() : null;
                if (auth?["deviceToken"]?.GetValue<string>() is { Length: > 0 } issued && device is not null)
                {
                    device.SaveDeviceToken(shown, GatewayHandshake.Role, issued, scopes ?? []);
                }
                await CloseAsync(socket);
                if (scopes is not null && !scopes.Contains(GatewayHandshake.WriteScope))
                {
                    return new StatusProbes.Result("", false,
                        $"missing scope: {shown} admitted us with scopes [{string.Join(", ", scopes)}], without {GatewayHandshake.WriteScope}, so every turn would fail; " +
                        (device is null
                            ? "a gateway on another host needs the channel's device identity, and the Kakao state folder cannot hold one"
                            : $"approve this channel's device ({device.DeviceId}) once on the gateway host: 'openclaw devices list', then 'openclaw devices approve <request id>'") +
                        " (on loopback the token is enough); see docs/moltbot-gateway.md");
                }
                return new StatusProbes.Result("", true,
                    $"{shown} completed the handshake (gateway {version}, protocol {protocol}, scopes {(scopes is null ? "not reported" : string.Join(",", scopes))})");
            }
            var code = response["error"]?["code"]?.GetValue<string>();
            var message = response["error"]?["message"]?.GetValue<string>();
            var requestId = response["error"]?["details"]?["requestId"]?.GetValue<string>();
            // The refusal comes before the close; wait for it to read the close code.
            await ReceiveAsync(socket, TimeSpan.FromSeconds(2), timeout.Token);
            return Refused(shown, code, message, socket, requestId);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or System.Text.Json.JsonException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return new StatusProbes.Result("", false, $"unreachable: {shown} gave no handshake answer ({ex.GetBaseException().Message})");
        }
    }

    private static StatusProbes.Result Refused(string shown, string? code, string? message, ClientWebSocket socket, string? requestId = null)
    {
        var close = socket.CloseStatus is { } status ? $"close {(int)status}" : "no close code";
        var text = message ?? "";
        var (cause, fix) =
            code == "UNAVAILABLE" || (int?)socket.CloseStatus == 1013
                ? ("starting", "the gateway is still starting; probe again in a few seconds")
            : socket.CloseStatus == WebSocketCloseStatus.ProtocolError || text.Contains("protocol mismatch", StringComparison.OrdinalIgnoreCase)
                ? ("protocol mismatch", "the gateway speaks no protocol between 3 and 4; update OpenClaw or this channel")
            : text.StartsWith("pairing required", StringComparison.OrdinalIgnoreCase)
                ? ("device not approved", $"approve this channel's device once on the gateway host: openclaw devices approve {requestId ?? "<request id from 'openclaw devices list'>"}")
            : code == "NOT_PAIRED" || text.Contains("device identity required", StringComparison.OrdinalIgnoreCase) || text.Contains("token missing", StringComparison.OrdinalIgnoreCase)
                ? ("token missing", "set channels.kakao.moltbotGateway.token, gateway.auth.token or OPENCLAW_GATEWAY_TOKEN")
            : text.StartsWith("unauthorized", StringComparison.OrdinalIgnoreCase)
                ? ("token mismatch", "channels.kakao.moltbotGateway.token (or gateway.auth.token) differs from the gateway's gateway.auth.token")
            : ("refused", "see the gateway's log");
        var said = code is null ? "" : $" (gateway said {code}: {message})";
        return new StatusProbes.Result("", false, $"{cause}: {shown} refused the handshake, {close}{said}; {fix}");
    }

    private static byte[] ConnectFrame(string? token, OpenClawDeviceIdentity? device, string gateway, ConnectChallenge? challenge)
    {
        var version = typeof(GatewayHandshakeProbe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";
        var client = GatewayHandshake.Client("KakaoTalk channel (status probe)", version, instanceId: null);
        var parameters = GatewayHandshake.ConnectParams(client, $"moltbot-kakao-cli/{version}", token, device, gateway, challenge);
        var frame = new RequestFrame("req", ProbeId, "connect", JsonSerializer.SerializeToElement(parameters, GatewayJsonContext.Default.ConnectParams));
        return JsonSerializer.SerializeToUtf8Bytes(frame, GatewayJsonContext.Default.RequestFrame);
    }

    private static ConnectChallenge? Challenge(JsonNode? payload) =>
        payload?["nonce"]?.GetValue<string>() is { } nonce && payload["ts"]?.GetValue<long>() is { } ts ? new ConnectChallenge(nonce, ts) : null;

    private static async Task SendAsync(ClientWebSocket socket, byte[] frame, CancellationToken cancellationToken) =>
        await socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken);

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
