using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KakaoAspire.Reliability.Tests;

/// <summary>The outbound API through the edge, with the gateway token.</summary>
public static class Outbound
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body, string Raw, HttpResponseMessage Response)> SendAsync(
        HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/messages", body).WaitAsync(ReliabilityApp.RequestTimeout);
        var raw = await response.Content.ReadAsStringAsync().WaitAsync(ReliabilityApp.RequestTimeout);
        JsonNode? json = null;
        try
        {
            json = raw.Length == 0 ? null : JsonNode.Parse(raw);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return (response.StatusCode, json, raw, response);
    }

    /// <summary>Sends and returns the message id, asserting 202.</summary>
    public static async Task<string> AcceptAsync(HttpClient client, string to, string message, string? accountId = null)
    {
        var (status, body, raw, _) = await SendAsync(client, new { to, message, accountId, idempotencyKey = Guid.NewGuid().ToString() });
        Assert.True(status == HttpStatusCode.Accepted, $"{(int)status}: {raw}");
        return body!["messageId"]!.GetValue<string>();
    }

    public static async Task<string?> StatusAsync(HttpClient client, string id)
    {
        try
        {
            var text = await client.GetStringAsync($"/api/v1/messages/{id}").WaitAsync(ReliabilityApp.RequestTimeout);
            return JsonNode.Parse(text)?["status"]?.GetValue<string>();
        }
        catch (HttpRequestException)
        {
            return null; // the edge answers 502 while friendtalk restarts
        }
    }

    /// <summary>
    /// One status read per this interval stays within the edge's /api limit for one client address
    /// (<see cref="ReliabilityApp.ApiRateLimitPerMinute"/> a minute, a fixed window). Polled every 250 ms, a message that
    /// took 5 s to be sent used up the minute's allowance, and every later read until the window's end was a 429, which
    /// reads as no status: a sent message then timed out as unsent.
    /// </summary>
    private static readonly TimeSpan StatusPollInterval = TimeSpan.FromMinutes(1) / ReliabilityApp.ApiRateLimitPerMinute;

    /// <summary>Waits until the message is sent (or delivered); returns the last status seen.</summary>
    public static async Task<string?> WaitSentAsync(HttpClient client, string id, TimeSpan timeout)
    {
        string? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await StatusAsync(client, id);
            return last is "sent" or "delivered";
        }, timeout, StatusPollInterval);
        return last;
    }
}
