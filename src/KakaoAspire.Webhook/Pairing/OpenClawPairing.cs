using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Access;

namespace KakaoAspire.Webhook.Pairing;

/// <summary>
/// OpenClaw's pairing store, through the Kakao plugin's pairing route on the gateway (the relay's secret). When an
/// account's agents live in OpenClaw and are reached through the plugin, that store is the Kakao channel's one: a new
/// user's code is OpenClaw's (so <c>openclaw pairing list|approve kakao</c> sees and approves it), an approval there
/// lets the user in here, and an approval here is brought into OpenClaw's store. Without the plugin nothing changes.
/// </summary>
public sealed class OpenClawPairing(IHttpClientFactory httpClients, MoltbotConfig config, TimeProvider time, ILogger<OpenClawPairing> logger)
{
    public const string HttpClientName = "openclaw-pairing";

    // Asked inside Kakao's 5-second budget: a slower gateway means this message uses our own store.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2.5);
    // Approving calls the gateway's own method over loopback (a WebSocket handshake and two calls).
    private static readonly TimeSpan ApproveTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissingProbeInterval = TimeSpan.FromSeconds(5);
    private (DateTimeOffset At, bool Reachable)? _probe;

    private MoltbotGatewaySection Gateway => config.Kakao.MoltbotGateway;

    private string? Token => Gateway.EffectiveToken(config.Gateway);

    /// <summary>
    /// Whether this account's pairing belongs to OpenClaw's store: the agent that answers strangers on it lives in
    /// OpenClaw, and turns go through the plugin (transport "plugin", or "auto" while the plugin's route answers).
    /// </summary>
    public async Task<bool> AppliesToAsync(string accountId, CancellationToken cancellationToken = default)
    {
        if (Token is not { Length: > 0 } || Gateway.Transport == OpenClawTransport.Operator || StrangerAgent.InGateway(config, accountId) is null)
        {
            return false;
        }
        return Gateway.Transport == OpenClawTransport.Plugin || await IsReachableAsync(cancellationToken);
    }

    /// <summary>OpenClaw's answer for an unknown user (approved there, or its code), or null when the plugin did not answer.</summary>
    public async Task<OpenClawPairingAnswer?> RequestAsync(string accountId, KakaoUserIds user, CancellationToken cancellationToken = default)
    {
        var ids = user.Typed().Select(t => t.Id).Where(id => !string.Equals(id, user.StableId, StringComparison.OrdinalIgnoreCase)).ToArray();
        return await PostAsync<OpenClawPairingAnswer>(
            new { action = "request", accountId, userKey = user.StableId, ids }, RequestTimeout, cancellationToken);
    }

    /// <summary>Approves the user's pending request in OpenClaw's store: "approved", "already-approved", "no-request", or why not.</summary>
    public async Task<string> ApproveAsync(string accountId, string userId, CancellationToken cancellationToken = default)
    {
        var answer = await PostAsync<OpenClawApproveAnswer>(new { action = "approve", accountId, userKey = userId }, ApproveTimeout, cancellationToken);
        return answer?.OpenClaw ?? "unreachable";
    }

    /// <summary>Which of these users OpenClaw's store has approved (empty when the plugin did not answer).</summary>
    public async Task<IReadOnlyList<string>> ApprovedAsync(string accountId, IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        var answer = await PostAsync<OpenClawApprovedAnswer>(new { action = "approved", accountId, userKeys = userIds }, RequestTimeout, cancellationToken);
        return answer?.Approved ?? [];
    }

    private async Task<T?> PostAsync<T>(object body, TimeSpan timeout, CancellationToken cancellationToken) where T : class
    {
        if (Token is not { Length: > 0 } token)
        {
            return null;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.HttpBase, OpenClawRelaySecret.PairingPath))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add(OpenClawRelaySecret.Header, OpenClawRelaySecret.Derive(token));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cts.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // The plugin's error text names the cause (an old plugin without this route answers 404); never a secret.
                logger.LogWarning("OpenClaw's pairing route at {Gateway} answered {Status}: {Body}", Gateway.HttpBase, (int)response.StatusCode,
                    Truncate(await response.Content.ReadAsStringAsync(cts.Token)));
                return null;
            }
            return await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, cts.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("OpenClaw's pairing route at {Gateway} did not answer ({Error})", Gateway.HttpBase, ex.GetType().Name);
            return null;
        }
    }

    private async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        if (_probe is { } last && time.GetUtcNow() - last.At < (last.Reachable ? ProbeInterval : MissingProbeInterval))
        {
            return last.Reachable;
        }
        var reachable = await OpenClawPluginRoute.AnswersAsync(
            httpClients.CreateClient(HttpClientName), Gateway.HttpBase, OpenClawRelaySecret.PairingPath, Token!, "\"pairing\":\"openclaw\"", cancellationToken);
        if (_probe?.Reachable != reachable)
        {
            logger.LogInformation("OpenClaw gateway {Gateway}: Kakao plugin pairing route {State}", Gateway.HttpBase,
                reachable ? "answers: pairing uses OpenClaw's store" : "does not answer: pairing uses KakaoAspire's store");
        }
        _probe = (time.GetUtcNow(), reachable);
        return reachable;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The plugin's answer about an unknown user: approved in OpenClaw's store, or OpenClaw's code (null: the account's 3 pending are taken).</summary>
public sealed record OpenClawPairingAnswer(bool Approved, string? Code, bool Created);

public sealed record OpenClawApproveAnswer(string? OpenClaw);

public sealed record OpenClawApprovedAnswer(IReadOnlyList<string>? Approved);
