using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.TestSupport;

/// <summary>
/// NHN Cloud KakaoTalk Bizmessage on loopback (real Kestrel, a free port): Friend Talk v2.4 send (with the
/// brand-message compat header), Brand Message free-form v1.0 send, the result list query by
/// recipientGroupingKey and the single-recipient query. Like NHN it rejects a reused
/// <c>X-NC-API-IDEMPOTENCY-KEY</c> within 10 minutes with -1005. Failures are queued per test.
/// Point an account at it with <c>outbound.nhnBaseUrl</c> and <c>outbound.brandMessageBaseUrl</c> = <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeNhnServer : LoopbackServer
{
    public const string AppKey = "fake-app-key";
    public const string SecretKey = "fake-secret-key";
    public const string SenderKey = "fake-sender-key-0000000000000000000000000";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FakeFailure> _failures = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _keys = new();
    private readonly ConcurrentQueue<NhnAccepted> _accepted = new();
    private readonly Lock _sendLock = new();
    private int _requestCounter;

    private FakeNhnServer()
    {
        App.MapPost("/friendtalk/v2.4/appkeys/{appKey}/messages", (HttpContext http, string appKey) => SendAsync(http, appKey, brandMessage: false));
        App.MapPost("/brand-message/v1.0/appkeys/{appKey}/freestyle-messages", (HttpContext http, string appKey) => SendAsync(http, appKey, brandMessage: true));
        App.MapGet("/{product}/{version}/appkeys/{appKey}/messages", (Delegate)ListAsync);
        App.MapGet("/{product}/{version}/appkeys/{appKey}/messages/{requestId}/{recipientSeq:int}", GetAsync);
    }

    /// <summary>One recipient NHN accepted: what "sent" means at the provider.</summary>
    public sealed record NhnAccepted(
        string RequestId, int RecipientSeq, string RecipientNo, string? RecipientGroupingKey, string? SenderGroupingKey, string? Content, bool BrandMessage);

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Send requests only (POSTs).</summary>
    public IReadOnlyList<RecordedRequest> Sends => [.. _requests.Where(r => r.Method == "POST")];

    public IReadOnlyList<NhnAccepted> Accepted => _accepted.ToArray();

    /// <summary>How many recipients were accepted so far, without copying them (a bench polls it while it sends).</summary>
    public int AcceptedTotal => _accepted.Count;

    /// <summary>Per recipient number: the send-response resultCode (0 = accepted). Default: 0 for everyone.</summary>
    public Func<string, int> RecipientResultCode { get; set; } = _ => 0;

    /// <summary>Per accepted recipient: the delivery query's (messageStatus, resultCode). Default: COMPLETED / 1000.</summary>
    public Func<NhnAccepted, (string Status, string Code)> Delivery { get; set; } = _ => ("COMPLETED", "1000");

    /// <summary>Per accepted recipient: a fault for its single-recipient delivery query (null: answered normally).</summary>
    public Func<NhnAccepted, FakeFailure?> DeliveryFault { get; set; } = _ => null;

    /// <summary>How many single-recipient delivery queries asked about this message id.</summary>
    public int DeliveryQueries(string recipientGroupingKey) => Requests.Count(r => r.Method == "GET"
        && _accepted.Any(a => a.RecipientGroupingKey == recipientGroupingKey && r.Path.EndsWith($"/messages/{a.RequestId}/{a.RecipientSeq}", StringComparison.Ordinal)));

    public static async Task<FakeNhnServer> StartAsync()
    {
        var server = new FakeNhnServer();
        await server.ListenAsync();
        return server;
    }

    /// <summary>The next send requests meet these failures, in order; later ones are handled normally.</summary>
    public FakeNhnServer FailNext(params FakeFailure[] failures)
    {
        foreach (var failure in failures)
        {
            _failures.Enqueue(failure);
        }
        return this;
    }

    /// <summary>How many times NHN accepted a recipient with this grouping key (our message id): 1 means exactly once.</summary>
    public int AcceptedCount(string recipientGroupingKey) => _accepted.Count(a => a.RecipientGroupingKey == recipientGroupingKey);

    private async Task<IResult> SendAsync(HttpContext http, string appKey, bool brandMessage)
    {
        var request = await RecordAsync(http);
        _failures.TryDequeue(out var failure);
        // A failure answers before NHN books anything, so it does not take the idempotency key.
        var refused = failure is { HttpStatus: not null } or { ResultCode: not null } or { Body: not null };
        var key = request.Header("X-NC-API-IDEMPOTENCY-KEY");
        var authorized = appKey == AppKey && request.Header("X-Secret-Key") == SecretKey;
        if (!refused && authorized && key is not null)
        {
            // Like NHN, the key is taken when the request arrives, so a retry racing a slow first request meets -1005.
            var now = DateTimeOffset.UtcNow;
            lock (_sendLock)
            {
                if (_keys.TryGetValue(key, out var usedAt) && now - usedAt < TimeSpan.FromMinutes(10))
                {
                    return Results.Json(Header(-1005, "Duplicated idempotency key."));
                }
                _keys[key] = now;
            }
        }
        if (failure?.Delay is { } delay)
        {
            // Not cancelled with the client: the server goes on, so a timed-out request may still be accepted.
            await Task.Delay(delay);
        }
        if (failure?.HttpStatus is { } status)
        {
            return Results.Text("{\"error\":\"fake\"}", "application/json", statusCode: status);
        }
        if (failure?.Body is { } raw)
        {
            return Results.Text(raw, "application/json");
        }
        if (failure?.ResultCode is { } code)
        {
            return Results.Json(Header(code, failure.Message ?? $"fake failure {code}"));
        }
        if (!authorized)
        {
            return Results.Json(Header(-1001, "Invalid secretKey."));
        }

        var body = request.Json!;
        lock (_sendLock)
        {
            var requestId = $"{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}fake{Interlocked.Increment(ref _requestCounter):D4}";
            var results = new JsonArray();
            var seq = 0;
            foreach (var recipient in body["recipientList"]!.AsArray())
            {
                seq++;
                var number = (string)recipient!["recipientNo"]!;
                var grouping = (string?)recipient["recipientGroupingKey"];
                var resultCode = RecipientResultCode(number);
                if (resultCode == 0)
                {
                    var content = brandMessage ? (string?)body["content"] : (string?)recipient["content"];
                    _accepted.Enqueue(new NhnAccepted(requestId, seq, number, grouping, (string?)body["senderGroupingKey"], content, brandMessage));
                }
                results.Add(new JsonObject
                {
                    ["recipientSeq"] = seq,
                    ["recipientNo"] = number,
                    ["resultCode"] = resultCode,
                    ["resultMessage"] = resultCode == 0 ? "SUCCESS" : "fake recipient failure",
                    ["recipientGroupingKey"] = grouping,
                });
            }
            var answer = Header(0, "SUCCESS");
            answer["message"] = new JsonObject
            {
                ["requestId"] = requestId,
                ["senderGroupingKey"] = (string?)body["senderGroupingKey"],
                ["sendResults"] = results,
            };
            return Results.Json(answer);
        }
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        var request = await RecordAsync(http);
        if (request.Header("X-Secret-Key") != SecretKey)
        {
            return Results.Json(Header(-1001, "Invalid secretKey."));
        }
        var grouping = http.Request.Query["recipientGroupingKey"].ToString();
        var sender = http.Request.Query["senderGroupingKey"].ToString();
        var requestId = http.Request.Query["requestId"].ToString();
        var messages = new JsonArray();
        foreach (var a in _accepted.Where(a => (grouping.Length == 0 || a.RecipientGroupingKey == grouping)
            && (sender.Length == 0 || a.SenderGroupingKey == sender) && (requestId.Length == 0 || a.RequestId == requestId)))
        {
            var (status, code) = Delivery(a);
            messages.Add(new JsonObject
            {
                ["requestId"] = a.RequestId,
                ["recipientSeq"] = a.RecipientSeq,
                ["recipientNo"] = a.RecipientNo,
                ["recipientGroupingKey"] = a.RecipientGroupingKey,
                ["senderGroupingKey"] = a.SenderGroupingKey,
                ["messageStatus"] = status,
                ["resultCode"] = code,
            });
        }
        var answer = Header(0, "SUCCESS");
        answer["messages"] = messages;
        answer["totalCount"] = messages.Count;
        return Results.Json(answer);
    }

    private async Task<IResult> GetAsync(HttpContext http, string requestId, int recipientSeq)
    {
        var request = await RecordAsync(http);
        if (request.Header("X-Secret-Key") != SecretKey)
        {
            return Results.Json(Header(-1001, "Invalid secretKey."));
        }
        var hit = _accepted.FirstOrDefault(a => a.RequestId == requestId && a.RecipientSeq == recipientSeq);
        if (hit is null)
        {
            return Results.Json(Header(-4007, "Not found."));
        }
        if (DeliveryFault(hit) is { } fault)
        {
            if (fault.Delay is { } delay)
            {
                await Task.Delay(delay);
            }
            if (fault.HttpStatus is { } failed)
            {
                return Results.Text("{\"error\":\"fake\"}", "application/json", statusCode: failed);
            }
            if (fault.Body is { } raw)
            {
                return Results.Text(raw, "application/json");
            }
        }
        var (status, code) = Delivery(hit);
        var answer = Header(0, "SUCCESS");
        answer["message"] = new JsonObject
        {
            ["requestId"] = hit.RequestId,
            ["recipientSeq"] = hit.RecipientSeq,
            ["recipientNo"] = hit.RecipientNo,
            ["messageStatus"] = status,
            ["resultCode"] = code,
            ["resultCodeName"] = code == "1000" ? "Success" : "fake delivery failure",
            ["recipientGroupingKey"] = hit.RecipientGroupingKey,
        };
        return Results.Json(answer);
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(http.Request.Method, http.Request.Path, http.Request.QueryString.Value ?? "", headers, body);
        _requests.Enqueue(recorded);
        return recorded;
    }

    private static JsonObject Header(int code, string message) => new()
    {
        ["header"] = new JsonObject
        {
            ["resultCode"] = code,
            ["resultMessage"] = message,
            ["isSuccessful"] = code == 0,
        },
    };

}
