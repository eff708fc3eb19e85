using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace KakaoAspire.Cli;

/// <summary>Talks to the running gateway's API through the edge, with the gateway token.</summary>
public sealed class GatewayClient(CliContext context) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = context.GatewayUrl, Timeout = TimeSpan.FromSeconds(15) };

    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, TimeSpan? RetryAfter);

    /// <summary>Null when nothing answers at the gateway's address.</summary>
    public async Task<Reply?> SendAsync(HttpMethod method, string path, object? body = null,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.Token.Value);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? json = null;
            try
            {
                json = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
            }
            return new Reply(response.StatusCode, json, response.Headers.RetryAfter?.Delta);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // timed out: treat as not reachable
        }
    }

    public void WriteUnreachable(TextWriter error) =>
        error.WriteLine($"Gateway not reachable at {context.GatewayUrl}. Start it with 'moltbot gateway run' (or set MOLTBOT_GATEWAY_URL).");

    /// <summary>The problem body's detail (our services answer errors as RFC 7807 problems).</summary>
    public static string Describe(Reply reply)
    {
        var title = reply.Body?["title"]?.ToString();
        var detail = reply.Body?["detail"]?.ToString() ?? reply.Body?["error"]?.ToString();
        var errors = reply.Body?["errors"] is JsonObject fields
            ? string.Join("; ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value?.AsArray().Select(v => v?.ToString()) ?? [])}"))
            : null;
        var parts = new[] { title, detail, errors }.Where(p => !string.IsNullOrWhiteSpace(p));
        var text = string.Join(" — ", parts);
        return $"{(int)reply.Status} {reply.Status}{(text.Length > 0 ? ": " + text : "")}";
    }

    public void Dispose() => _http.Dispose();
}
