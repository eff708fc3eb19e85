using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Providers;

/// <summary>
/// Kakao i Open Builder's Event API (docs/nhn-and-event-api.md#event-api): <c>POST /v2/bots/{botId}/talk</c> with
/// <c>Authorization: KakaoAK {adminKey}</c>. It takes no idempotency key, so an unanswered call is never resent.
/// </summary>
public sealed class EventApiProvider(IHttpClientFactory clients) : IOutboundProvider
{
    public ProviderKind Kind => ProviderKind.EventApi;

    public bool HonoursIdempotencyKey => false;

    public string BuildRequest(KakaoAccountConfig account, string batchId, IReadOnlyList<OutboundMessage> messages)
    {
        var first = messages[0];
        var data = new JsonObject { ["text"] = first.Text, ["messageId"] = first.Id };
        if (first.ImageUrl is not null)
        {
            data["imageUrl"] = first.ImageUrl;
        }
        if (first.Buttons.Count > 0)
        {
            data["buttons"] = new JsonArray([.. first.Buttons.Select(b => (JsonNode)new JsonObject { ["label"] = b.Name, ["webLinkUrl"] = b.Url })]);
        }
        var users = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["type"] = m.Recipient.EventApiType, ["id"] = m.RecipientValue })]);
        return new JsonObject
        {
            ["event"] = new JsonObject { ["name"] = account.Outbound.EventName, ["data"] = data },
            ["user"] = users,
            ["params"] = new JsonObject { ["messageId"] = first.Id },
        }.ToJsonString();
    }

    public async Task<SendOutcome> SendAsync(KakaoAccountConfig account, string body, string idempotencyKey, CancellationToken cancellationToken)
    {
        var url = $"{account.Outbound.EventApiBaseUrl.TrimEnd('/')}/v2/bots/{Uri.EscapeDataString(account.BotId ?? "")}/talk";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", $"KakaoAK {account.AdminKey}");
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(Kind.Name()).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            // Nothing reached Kakao: safe to retry.
            return SendOutcome.Of(SendOutcomeKind.Transient, "network", $"Kakao's Event API could not be reached ({e.HttpRequestError}); retrying");
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return SendOutcome.Of(SendOutcomeKind.Unknown, "timeout",
                "Kakao's Event API did not answer; it takes no idempotency key, so the message was not resent to avoid a duplicate");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return SendOutcome.Of(SendOutcomeKind.Transient, $"HTTP {status}", $"Kakao's Event API answered HTTP {status}; retrying");
            }
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (JsonException)
            {
                json = null;
            }
            var message = (string?)json?["message"] ?? (string?)json?["msg"];
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return SendOutcome.Of(SendOutcomeKind.Failed, $"HTTP {status}",
                    $"Kakao refused the admin key or bot id (HTTP {status}{(message is null ? "" : ": " + message)}): check adminKey and botId");
            }
            if (!response.IsSuccessStatusCode)
            {
                return SendOutcome.Of(SendOutcomeKind.Failed, $"HTTP {status}",
                    $"Kakao's Event API refused the request (HTTP {status}{(message is null ? "" : ": " + message)})");
            }
            var taskId = (string?)json?["taskId"];
            var result = (string?)json?["status"] ?? "SUCCESS";
            if (!string.Equals(result, "SUCCESS", StringComparison.OrdinalIgnoreCase))
            {
                return new SendOutcome(SendOutcomeKind.Failed, taskId, result, $"Kakao's Event API answered {result}{(message is null ? "" : ": " + message)}", new Dictionary<string, RecipientOutcome>());
            }
            return new SendOutcome(SendOutcomeKind.Accepted, taskId, result, "accepted by Kakao's Event API", new Dictionary<string, RecipientOutcome>());
        }
    }

    public Task<IReadOnlyList<FoundRecipient>> FindAsync(
        KakaoAccountConfig account, string batchId, IReadOnlyList<string> messageIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FoundRecipient>>([]);

    public Task<DeliveryResult> GetDeliveryAsync(KakaoAccountConfig account, string requestId, int recipientSeq, CancellationToken cancellationToken) =>
        Task.FromResult(new DeliveryResult(DeliveryState.Delivered, null, "accepted by Kakao's Event API"));
}
