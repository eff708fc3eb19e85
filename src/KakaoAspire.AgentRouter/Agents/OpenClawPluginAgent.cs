using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using KakaoAspire.AgentRouter.Gateway;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.AI;

namespace KakaoAspire.AgentRouter.Agents;

/// <summary>
/// An OpenClaw agent reached through the Kakao channel plugin's relay route on the gateway: the turn enters OpenClaw
/// as a real <c>kakao</c> channel message, so OpenClaw's bindings pick the agent and its session key is OpenClaw's for
/// channel kakao and this user. The reply (text, media, links) comes back in the response; images become Markdown
/// image lines, which the webhook renders as Kakao image cards.
/// </summary>
public sealed class OpenClawPluginAgent(
    IHttpClientFactory httpClients, MoltbotConfig config, TimeProvider time, ILogger<OpenClawPluginAgent> logger) : NonStreamingChatClient
{
    public const string HttpClientName = "openclaw-plugin";

    // "auto" asks the relay whether it is there at most this often; sooner again while it is not (a gateway starting).
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissingProbeInterval = TimeSpan.FromSeconds(5);
    private (DateTimeOffset At, bool Reachable)? _probe;

    private MoltbotGatewaySection Gateway => config.Kakao.MoltbotGateway;

    private string? Token => Gateway.EffectiveToken(config.Gateway);

    /// <summary>Whether the relay answers our secret (an answer is kept for <see cref="ProbeInterval"/>).</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        if (_probe is { } last && time.GetUtcNow() - last.At < (last.Reachable ? ProbeInterval : MissingProbeInterval))
        {
            return last.Reachable;
        }
        var reachable = false;
        if (Token is { Length: > 0 } token)
        {
            reachable = await OpenClawPluginRoute.AnswersAsync(
                httpClients.CreateClient(HttpClientName), Gateway.HttpBase, OpenClawRelaySecret.Path, token, "\"plugin\":\"kakao\"", cancellationToken);
        }
        if (_probe?.Reachable != reachable)
        {
            logger.LogInformation("OpenClaw gateway {Gateway}: Kakao plugin relay {State}", Gateway.HttpBase, reachable ? "answers: agent turns go through the plugin" : "does not answer: agent turns use the operator protocol");
        }
        _probe = (time.GetUtcNow(), reachable);
        return reachable;
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = TurnContext.From(options)
            ?? throw new InvalidOperationException("The OpenClaw plugin agent needs the turn's context (turn id and user).");
        var token = Token ?? throw new MoltbotGatewayException(GatewayFailureCause.TokenMissing,
            "no gateway token for the plugin relay: set channels.kakao.moltbotGateway.token or gateway.auth.token");
        var timeoutSeconds = Math.Max(1, context.Account?.TimeoutSeconds ?? KakaoAccountConfig.DefaultTimeoutSeconds);
        var text = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text;
        var turn = new RelayTurn(
            context.Request.TurnId,
            context.Request.AccountId,
            // The original key: OpenClaw lowercases it inside session keys, Kakao needs it as sent.
            context.Request.PlusfriendUserKey ?? context.Request.UserId,
            string.IsNullOrWhiteSpace(text) ? "(빈 메시지)" : text,
            timeoutSeconds * 1000);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.HttpBase, OpenClawRelaySecret.Path))
        {
            Content = JsonContent.Create(turn, RelayJsonContext.Default.RelayTurn),
        };
        request.Headers.Add(OpenClawRelaySecret.Header, OpenClawRelaySecret.Derive(token));
        RelayReply reply;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            reply = await ReadReplyAsync(response, cancellationToken);
        }
        catch (MoltbotGatewayException ex)
        {
            // The cause and the fix for the operator; the user reads our Korean failure text.
            logger.LogWarning("OpenClaw gateway {Gateway}: turn {TurnId} through the Kakao plugin failed, cause {Cause}: {Detail}",
                Gateway.HttpBase, turn.TurnId, ex.CauseText(), ex.Detail);
            throw;
        }
        var answer = Render(reply);
        logger.LogInformation("OpenClaw gateway {Gateway}: turn {TurnId} answered through the Kakao plugin by agent {OpenClawAgentId} in session {OpenClawSessionKey}, {Length} characters, {Images} images",
            Gateway.HttpBase, turn.TurnId, reply.AgentId, reply.SessionKey, answer.Length, reply.Payloads?.Sum(p => p.MediaUrls?.Count ?? 0) ?? 0);
        var message = new ChatMessage(ChatRole.Assistant, answer);
        return new ChatResponse(message) { AdditionalProperties = new() { ["openclaw.sessionKey"] = reply.SessionKey, ["openclaw.agentId"] = reply.AgentId } };
    }

    private static async Task<RelayReply> ReadReplyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        RelayReply? reply = null;
        try
        {
            reply = await response.Content.ReadFromJsonAsync(RelayJsonContext.Default.RelayReply, cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        var detail = reply?.Error ?? $"HTTP {(int)response.StatusCode}";
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK when reply is not null:
                if (reply.Payloads?.Any(p => !p.IsError && (!string.IsNullOrWhiteSpace(p.Text) || p.MediaUrls is { Count: > 0 })) == true)
                {
                    return reply;
                }
                throw new MoltbotGatewayException(GatewayFailureCause.RunError,
                    reply.Payloads is { Count: > 0 } ? "the agent's reply was an error" : "the agent gave no reply");
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw new MoltbotGatewayException(GatewayFailureCause.TokenMismatch,
                    $"the Kakao plugin's relay refused our secret ({detail}): the gateway's token differs from channels.kakao.moltbotGateway.token / gateway.auth.token");
            case HttpStatusCode.NotFound:
                throw new MoltbotGatewayException(GatewayFailureCause.Unreachable,
                    "no Kakao plugin relay on the gateway: install it with 'openclaw plugins install <repo>/plugins/openclaw-kakao', or set channels.kakao.moltbotGateway.transport to \"operator\"");
            case HttpStatusCode.GatewayTimeout:
                throw new MoltbotGatewayException(GatewayFailureCause.Timeout, detail);
            default:
                throw new MoltbotGatewayException(GatewayFailureCause.RunError, detail);
        }
    }

    /// <summary>Texts joined with a blank line, then each http(s) image as a Markdown image line; error payloads never reach the user.</summary>
    public static string Render(RelayReply reply)
    {
        var text = new StringBuilder();
        foreach (var payload in reply.Payloads ?? [])
        {
            if (payload.IsError)
            {
                continue;
            }
            if (!string.IsNullOrWhiteSpace(payload.Text))
            {
                text.Append(text.Length > 0 ? "\n\n" : "").Append(payload.Text.Trim());
            }
            foreach (var url in payload.MediaUrls ?? [])
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    text.Append(text.Length > 0 ? "\n\n" : "").Append("![](").Append(uri.AbsoluteUri).Append(')');
                }
            }
        }
        return text.ToString();
    }
}

public sealed record RelayTurn(
    [property: JsonPropertyName("turnId")] string TurnId,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("userKey")] string UserKey,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("timeoutMs")] int TimeoutMs);

public sealed record RelayPayload(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("mediaUrls")] IReadOnlyList<string>? MediaUrls,
    [property: JsonPropertyName("isError")] bool IsError);

public sealed record RelayReply(
    [property: JsonPropertyName("agentId")] string? AgentId,
    [property: JsonPropertyName("sessionKey")] string? SessionKey,
    [property: JsonPropertyName("payloads")] IReadOnlyList<RelayPayload>? Payloads,
    [property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(RelayTurn))]
[JsonSerializable(typeof(RelayReply))]
internal sealed partial class RelayJsonContext : JsonSerializerContext;
