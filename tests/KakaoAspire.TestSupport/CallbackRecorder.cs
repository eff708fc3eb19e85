using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.TestSupport;

/// <summary>
/// Stands in for Kakao's callback endpoint in whole-app tests: a real Kestrel on loopback that records each POST
/// (with when it arrived) and answers as Kakao does.
/// </summary>
public sealed class CallbackRecorder : LoopbackServer
{
    private readonly ConcurrentQueue<(string Token, DateTimeOffset At, JsonNode? Body)> _posts = new();
    private readonly ConcurrentDictionary<string, bool> _used = new();

    private CallbackRecorder()
    {
        App.MapPost("/callback/{token}", async (string token, HttpRequest request) =>
        {
            _posts.Enqueue((token, DateTimeOffset.UtcNow, await JsonNode.ParseAsync(request.Body)));
            // Like Kakao, a callback token takes one POST; a repeat is refused and shows nothing.
            return _used.TryAdd(token, true)
                ? Results.Json(new { taskId = token, status = "SUCCESS", message = "OK", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() })
                : Results.Json(new { taskId = token, status = "FAIL", message = "Invalid callback token. Check your callback token.", timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        });
    }

    public string UrlFor(string token) => $"{BaseUrl}/callback/{token}";

    public IReadOnlyList<(DateTimeOffset At, JsonNode? Body)> For(string token) =>
        _posts.Where(p => p.Token == token).Select(p => (p.At, p.Body)).ToList();

    public static async Task<CallbackRecorder> StartAsync()
    {
        var recorder = new CallbackRecorder();
        await recorder.ListenAsync();
        return recorder;
    }

}
