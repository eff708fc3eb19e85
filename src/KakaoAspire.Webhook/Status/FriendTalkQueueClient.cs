using System.Net.Http.Headers;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Webhook.Status;

/// <summary>One account's outbound queue as the friendtalk service reports it (<c>GET /api/v1/queue</c>).</summary>
public sealed record OutboundQueueStatus(
    long Ready, long Sending, long Scheduled, string? OldestWaitingId, DateTimeOffset? OldestWaitingSince,
    long CapUsed, int CapLimit, string? LastError, string? LastFailedAt);

/// <summary>Asks the friendtalk service, service to service with the gateway token, for each account's queue.</summary>
public sealed class FriendTalkQueueClient(HttpClient http, GatewayToken token)
{
    private sealed record Report(List<Entry>? Accounts);

    private sealed record Entry(
        string AccountId, long Ready, long Sending, long Scheduled, string? OldestWaitingId, DateTimeOffset? OldestWaitingSince,
        long CapUsed, int CapLimit, string? LastError, string? LastFailedAt);

    public async Task<IReadOnlyDictionary<string, OutboundQueueStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/queue");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var report = await response.Content.ReadFromJsonAsync<Report>(cancellationToken);
        return (report?.Accounts ?? []).ToDictionary(
            a => a.AccountId,
            a => new OutboundQueueStatus(a.Ready, a.Sending, a.Scheduled, a.OldestWaitingId, a.OldestWaitingSince,
                a.CapUsed, a.CapLimit, a.LastError, a.LastFailedAt),
            StringComparer.OrdinalIgnoreCase);
    }
}
