using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.Webhook.Tests.Fakes;

/// <summary>Kakao's callback endpoint on loopback: records every POST and answers like bot-api.kakao.com (one POST per token).</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedCallback> _received = new();
    private readonly ConcurrentDictionary<string, bool> _used = new();

    private CallbackReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    public IReadOnlyList<ReceivedCallback> For(string token) => Received
        .Where(r => r.Path.EndsWith("/" + token, StringComparison.Ordinal) || r.RawTarget.EndsWith("/" + token, StringComparison.Ordinal)).ToList();

    public string CallbackUrl(string token) => $"{Url}/v1/bots/test-bot/callback/{token}";

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.MapPost("/v1/bots/{bot}/callback/{token}", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            receiver._received.Enqueue(new ReceivedCallback(request.Path, await reader.ReadToEndAsync(), Stopwatch.GetTimestamp(),
                request.HttpContext.Features.Get<IHttpRequestFeature>()!.RawTarget));
            // Like Kakao: a callback token is good for one POST; "refuse-" tokens stand for an expired or bad token.
            var token = request.RouteValues["token"]?.ToString() ?? "";
            var first = receiver._used.TryAdd(token, true);
            return first && !token.StartsWith("refuse-", StringComparison.Ordinal)
                ? Results.Json(new { taskId = Guid.NewGuid().ToString(), status = "SUCCESS", message = "OK", timestamp = 1 })
                : Results.Json(new { taskId = Guid.NewGuid().ToString(), status = "FAIL", message = "Invalid callback token. Check your callback token.", timestamp = 1 });
        });
        app.MapPost("/redirect/{token}", (HttpRequest request, string token) =>
        {
            receiver._received.Enqueue(new ReceivedCallback(request.Path, "", Stopwatch.GetTimestamp(), request.Path));
            return Results.Redirect($"/v1/bots/test-bot/callback/{token}-redirected", permanent: false, preserveMethod: true);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First();
        return receiver;
    }

    public async Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(string token, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && For(token).Count == 0)
        {
            await Task.Delay(50);
        }
        return For(token);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedCallback(string Path, string Body, long Timestamp, string RawTarget);
