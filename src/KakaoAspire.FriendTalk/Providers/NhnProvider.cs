using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Providers;

/// <summary>
/// What NHN's Friend Talk and Brand Message APIs share: <c>X-Secret-Key</c>, <c>X-NC-API-IDEMPOTENCY-KEY</c>,
/// the <c>header</c>/<c>message.sendResults</c> answer and the result queries (docs/nhn-and-event-api.md#nhn-the-answer-and-the-result).
/// </summary>
public abstract class NhnProvider(IHttpClientFactory clients, ILogger logger) : IOutboundProvider
{
    // A client per call from the factory, so handlers rotate (DNS) although the provider is a singleton.
    private HttpClient Http => clients.CreateClient(Kind.Name());

    public const string IdempotencyHeader = "X-NC-API-IDEMPOTENCY-KEY";

    public abstract ProviderKind Kind { get; }

    public bool HonoursIdempotencyKey => true;

    /// <summary>e.g. <c>/friendtalk/v2.4</c>.</summary>
    protected abstract string ApiPrefix { get; }

    /// <summary>The send resource under <c>appkeys/{appkey}/</c>.</summary>
    protected abstract string SendResource { get; }

    protected abstract string BaseUrl(KakaoAccountConfig account);

    protected virtual void AddSendHeaders(HttpRequestMessage request, KakaoAccountConfig account)
    {
    }

    public abstract string BuildRequest(KakaoAccountConfig account, string batchId, IReadOnlyList<OutboundMessage> messages);

    /// <summary>True when the send body carries senderGroupingKey = batch id, so one query finds the whole batch.</summary>
    protected virtual bool GroupsBySender => false;

    public async Task<SendOutcome> SendAsync(KakaoAccountConfig account, string body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(account, SendResource))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Secret-Key", account.ToastSecretKey);
        request.Headers.Add(IdempotencyHeader, idempotencyKey);
        AddSendHeaders(request, account);
        try
        {
            using var response = await Http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return SendOutcome.Of(SendOutcomeKind.Transient, $"HTTP {(int)response.StatusCode}", $"NHN answered HTTP {(int)response.StatusCode}; retrying");
            }
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                json = null;
            }
            var header = json?["header"];
            if (header?["resultCode"] is null)
            {
                var kind = response.IsSuccessStatusCode ? SendOutcomeKind.Transient : SendOutcomeKind.Failed;
                return SendOutcome.Of(kind, $"HTTP {(int)response.StatusCode}", $"NHN answered HTTP {(int)response.StatusCode} without a result header");
            }
            var code = header["resultCode"]!.GetValue<int>();
            var codeText = code.ToString(CultureInfo.InvariantCulture);
            var reason = NhnResultCodes.Describe(codeText, (string?)header["resultMessage"]);
            var outcome = NhnResultCodes.Classify(code);
            if (outcome != SendOutcomeKind.Accepted)
            {
                return SendOutcome.Of(outcome, codeText, reason);
            }
            var recipients = new Dictionary<string, RecipientOutcome>();
            foreach (var result in json?["message"]?["sendResults"]?.AsArray() ?? [])
            {
                var key = (string?)result?["recipientGroupingKey"];
                if (key is null)
                {
                    continue;
                }
                var recipientCode = result!["resultCode"]?.GetValue<int>() ?? 0;
                var recipientCodeText = recipientCode.ToString(CultureInfo.InvariantCulture);
                recipients[key] = new RecipientOutcome(recipientCode == 0, result["recipientSeq"]?.GetValue<int>(), recipientCodeText,
                    NhnResultCodes.Describe(recipientCodeText, (string?)result["resultMessage"]));
            }
            return new SendOutcome(SendOutcomeKind.Accepted, (string?)json?["message"]?["requestId"], codeText, reason, recipients);
        }
        catch (HttpRequestException e)
        {
            return SendOutcome.Of(SendOutcomeKind.Transient, "network", $"NHN could not be reached ({e.HttpRequestError}); retrying");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Of(SendOutcomeKind.Transient, "timeout", "NHN did not answer in time; retrying with the same idempotency key");
        }
    }

    public async Task<IReadOnlyList<FoundRecipient>> FindAsync(
        KakaoAccountConfig account, string batchId, IReadOnlyList<string> messageIds, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var found = new List<FoundRecipient>();
        var start = Uri.EscapeDataString(QueryDate(since.AddMinutes(-1)));
        var end = Uri.EscapeDataString(QueryDate(until.AddMinutes(1)));
        if (GroupsBySender)
        {
            var wanted = messageIds.ToHashSet();
            var json = await GetJsonAsync(account,
                $"messages?startRequestDate={start}&endRequestDate={end}&senderGroupingKey={Uri.EscapeDataString(batchId)}&pageSize=1000", cancellationToken);
            foreach (var hit in json?["messages"]?.AsArray() ?? [])
            {
                var key = (string?)hit?["recipientGroupingKey"];
                if (key is not null && wanted.Remove(key) && hit!["requestId"] is not null && hit["recipientSeq"] is not null)
                {
                    found.Add(new FoundRecipient(key, (string)hit["requestId"]!, hit["recipientSeq"]!.GetValue<int>()));
                }
            }
            return found;
        }
        foreach (var id in messageIds)
        {
            var json = await GetJsonAsync(account,
                $"messages?startRequestDate={start}&endRequestDate={end}&recipientGroupingKey={Uri.EscapeDataString(id)}", cancellationToken);
            var hit = json?["messages"]?.AsArray().FirstOrDefault(m => (string?)m?["recipientGroupingKey"] == id);
            if (hit?["requestId"] is not null && hit["recipientSeq"] is not null)
            {
                found.Add(new FoundRecipient(id, (string)hit["requestId"]!, hit["recipientSeq"]!.GetValue<int>()));
            }
        }
        return found;
    }

    public async Task<DeliveryResult> GetDeliveryAsync(KakaoAccountConfig account, string requestId, int recipientSeq, CancellationToken cancellationToken)
    {
        var json = await GetJsonAsync(account,
            $"messages/{Uri.EscapeDataString(requestId)}/{recipientSeq.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        var message = json?["message"];
        if (message is null)
        {
            return new DeliveryResult(DeliveryState.Pending, null, "waiting for NHN's result");
        }
        var code = message["resultCode"]?.ToString();
        return NhnResultCodes.Delivery((string?)message["messageStatus"], code, (string?)message["resultCodeName"]);
    }

    private async Task<JsonNode?> GetJsonAsync(KakaoAccountConfig account, string resource, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(account, resource));
        request.Headers.Add("X-Secret-Key", account.ToastSecretKey);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("NHN query answered HTTP {StatusCode}", (int)response.StatusCode);
            throw new HttpRequestException($"NHN query answered HTTP {(int)response.StatusCode}");
        }
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private string Url(KakaoAccountConfig account, string resource) =>
        $"{BaseUrl(account).TrimEnd('/')}{ApiPrefix}/appkeys/{Uri.EscapeDataString(account.ToastAppKey ?? "")}/{resource}";

    private static string QueryDate(DateTimeOffset instant) =>
        instant.ToOffset(Kst.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    protected static JsonArray Buttons(IReadOnlyList<MessageButton> buttons)
    {
        var array = new JsonArray();
        for (var i = 0; i < buttons.Count; i++)
        {
            array.Add(new JsonObject
            {
                ["ordering"] = i + 1,
                ["type"] = "WL",
                ["name"] = buttons[i].Name,
                ["linkMo"] = buttons[i].Url,
                ["linkPc"] = buttons[i].PcUrl ?? buttons[i].Url,
            });
        }
        return array;
    }
}
