using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Webhook.Simulator;

/// <summary>
/// The simulator's side panel: the messages the friendtalk service accepted lately (newest first, recipients masked),
/// as its <c>GET /api/v1/outbox</c> lists them (Development only, gateway token). Friendtalk's Redis keys are its own.
/// </summary>
public sealed class SimulatorOutbox(HttpClient http, GatewayToken token, ILogger<SimulatorOutbox> logger)
{
    public static async Task<IResult> ListAsync(SimulatorOutbox outbox, CancellationToken cancellationToken) =>
        TypedResults.Ok(await outbox.ReadAsync(cancellationToken));

    /// <summary>An empty panel while friendtalk is away: the page polls again in a few seconds.</summary>
    public async Task<JsonArray> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/outbox");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonArray ?? [];
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Simulator: the friendtalk service did not list its outbox ({ExceptionType})", ex.GetType().Name);
            return [];
        }
    }
}
