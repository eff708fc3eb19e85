using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.AgentRouter.Tools;

/// <summary>
/// The friendtalk service's outbound API, called service to service (not through the edge) with the gateway token.
/// Every call carries an idempotency key, so the resilience handler's retries can never send twice.
/// </summary>
public sealed class OutboundApiClient(IHttpClientFactory clients, GatewayToken token)
{
    /// <summary>The named HttpClient (base address http://friendtalk, resolved by service discovery).</summary>
    public const string HttpClientName = "friendtalk";

    public sealed record Outcome(bool Accepted, string Text);

    public async Task<Outcome> SendAsync(string accountId, string to, string message, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages")
        {
            Content = JsonContent.Create(new { channel = "kakao", accountId, to, message, idempotencyKey }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        using var http = clients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
        {
            return new Outcome(true, $"Accepted for sending: message {body?["messageId"]}, status {body?["status"]}.");
        }
        var detail = body?["detail"]?.ToString() ?? body?["title"]?.ToString();
        var errors = body?["errors"] is JsonObject fields
            ? string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value?.AsArray().Select(v => v?.ToString()) ?? [])}"))
            : null;
        return new Outcome(false, $"Not sent ({(int)response.StatusCode}): {string.Join(" ", new[] { detail, errors }.Where(s => !string.IsNullOrEmpty(s)))}");
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
