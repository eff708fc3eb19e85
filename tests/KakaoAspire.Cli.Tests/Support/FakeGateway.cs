using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace KakaoAspire.Cli.Tests;

/// <summary>
/// The gateway's API as the CLI sees it through the edge, on real loopback ports: <c>/api/v1/status</c>,
/// <c>/api/v1/messages</c>, and the accounts' webhook paths (GET answers 405, as the edge routes them).
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    public const string Token = "cli-test-token-0123456789";

    private readonly WebApplication _app;
    private int _inFlight;

    private FakeGateway(WebApplication app, int[] ports)
    {
        _app = app;
        Ports = ports;
    }

    public int[] Ports { get; }

    public string Url => $"http://127.0.0.1:{Ports[0]}";

    public JsonObject Status { get; set; } = new() { ["accounts"] = new JsonArray() };

    /// <summary>What GET /api/v1/messages/{id} answers, in turn (the last one repeats).</summary>
    public ConcurrentQueue<JsonObject> MessageStates { get; } = new();

    /// <summary>Webhook probes hold until this many are in flight at once (or 5 s pass): a sequential prober never gets there.</summary>
    public int HoldProbesUntil { get; set; } = 1;

    public int MostProbesInFlight { get; private set; }

    public static async Task<FakeGateway> StartAsync(int accounts)
    {
        var ports = Enumerable.Range(0, accounts).Select(_ => FreePort.Next()).ToArray();
        var builder = LoopbackApp.CreateBuilder();
        builder.WebHost.UseUrls([.. ports.Select(p => $"http://127.0.0.1:{p}")]);
        var app = builder.Build();
        var gateway = new FakeGateway(app, ports);
        JsonObject? lastMessage = null;

        app.MapGet("/api/v1/status", (HttpRequest request) => Authorized(request) ? Results.Json(gateway.Status) : Results.Unauthorized());
        app.MapPost("/api/v1/messages", (HttpRequest request) => Authorized(request)
            ? Results.Json(new JsonObject { ["messageId"] = "msg_cli1", ["status"] = "accepted" }, statusCode: 202)
            : Results.Unauthorized());
        app.MapGet("/api/v1/messages/{id}", (HttpRequest request, string id) =>
        {
            if (!Authorized(request))
            {
                return Results.Unauthorized();
            }
            if (id != "msg_cli1")
            {
                return Results.Json(new JsonObject { ["title"] = "No such message", ["detail"] = $"No outbound message has the id '{id}'." }, statusCode: 404);
            }
            lastMessage = gateway.MessageStates.TryDequeue(out var next) ? next : lastMessage;
            return Results.Json(lastMessage);
        });
        app.MapGet("/kakao/{**path}", async () =>
        {
            var now = Interlocked.Increment(ref gateway._inFlight);
            lock (gateway)
            {
                gateway.MostProbesInFlight = Math.Max(gateway.MostProbesInFlight, now);
            }
            var until = DateTime.UtcNow.AddSeconds(5);
            while (Volatile.Read(ref gateway._inFlight) < gateway.HoldProbesUntil && gateway.MostProbesInFlight < gateway.HoldProbesUntil && DateTime.UtcNow < until)
            {
                await Task.Delay(20);
            }
            Interlocked.Decrement(ref gateway._inFlight);
            return Results.StatusCode(405);
        });
        await app.StartAsync();
        return gateway;
    }

    /// <summary>A Moltbot config with one enabled account per port, the gateway token, and the default account first.</summary>
    public string Config() => new JsonObject
    {
        ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = Token } },
        ["channels"] = new JsonObject
        {
            ["kakao"] = new JsonObject
            {
                ["accounts"] = new JsonObject(Ports.Select((port, i) => KeyValuePair.Create<string, JsonNode?>(
                    i == 0 ? "default" : $"extra{i}",
                    new JsonObject { ["webhookPort"] = port, ["webhookPath"] = i == 0 ? "/kakao/webhook" : $"/kakao/extra{i}", ["dmPolicy"] = "pairing" }))),
            },
        },
    }.ToJsonString();

    private static bool Authorized(HttpRequest request) => request.Headers.Authorization == $"Bearer {Token}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
