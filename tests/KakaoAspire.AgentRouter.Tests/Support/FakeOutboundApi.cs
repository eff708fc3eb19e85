using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>The friendtalk service's <c>POST /api/v1/messages</c> as a recording fake on loopback.</summary>
public sealed class FakeOutboundApi : LoopbackServer
{
    private readonly ConcurrentQueue<(string? Authorization, JsonObject Body)> _sends = new();

    private FakeOutboundApi()
    {
        App.MapPost("/api/v1/messages", async (HttpRequest request, HttpResponse response) =>
        {
            var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            _sends.Enqueue((request.Headers.Authorization.ToString(), body));
            if (RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return Status == HttpStatusCode.Accepted
                ? Results.Json(new { messageId = "msg_" + _sends.Count, status = "accepted" }, statusCode: 202)
                : Results.Problem(statusCode: (int)Status, title: "Daily cap reached", detail: "dailyCap 1000 reached; resets at midnight KST.");
        });
    }

    public string Url { get; private set; } = "";

    public HttpStatusCode Status { get; set; } = HttpStatusCode.Accepted;

    /// <summary>Sent with every answer when set, as friendtalk does with its 429 at the daily cap (until midnight KST).</summary>
    public TimeSpan? RetryAfter { get; set; }

    public IReadOnlyList<(string? Authorization, JsonObject Body)> Sends => _sends.ToArray();

    /// <summary>Router settings that point its friendtalk client here.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["services:friendtalk:http:0"] = Url };

    public static async Task<FakeOutboundApi> StartAsync()
    {
        var api = new FakeOutboundApi();
        await api.ListenAsync();
        api.Url = api.BaseUrl;
        return api;
    }

}
