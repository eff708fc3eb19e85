using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.TestSupport;

/// <summary>
/// An OpenAI-compatible chat-completions server (real Kestrel on 127.0.0.1, a free port) for agent tests.
/// Per test: queued answers (else <see cref="DefaultAnswer"/>), a <see cref="Delay"/> (the slow agent),
/// a tool call, an error status. Every request is recorded, so tests can assert what the agent sent.
/// Point an agent at it with <c>{"provider": "openai", "endpoint": server.Endpoint, "name": "fake-model"}</c>.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<JsonObject>> _next = new();
    private readonly ConcurrentQueue<FakeChatRequest> _requests = new();

    private FakeOpenAIServer()
    {
        var builder = LoopbackApp.CreateBuilder();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", (Delegate)HandleAsync);
        _app.MapPost("/chat/completions", (Delegate)HandleAsync);
    }

    /// <summary>The base URL to configure, ending in <c>/v1</c> like OpenAI's.</summary>
    public string Endpoint { get; private set; } = "";

    public string DefaultAnswer { get; set; } = "가짜 모델의 답이에요.";

    /// <summary>How long every request waits before it is answered (cancelled when the client gives up).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>When set, every request gets this HTTP status with an OpenAI-style error body.</summary>
    public HttpStatusCode? ErrorStatus { get; set; }

    public IReadOnlyList<FakeChatRequest> Requests => _requests.ToArray();

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var server = new FakeOpenAIServer();
        await server._app.StartAsync();
        var address = LoopbackApp.Address(server._app);
        server.Endpoint = address.TrimEnd('/') + "/v1";
        return server;
    }

    /// <summary>The next requests get these texts, in order; after them <see cref="DefaultAnswer"/>.</summary>
    public FakeOpenAIServer AnswerWith(params string[] texts)
    {
        foreach (var text in texts)
        {
            _next.Enqueue(() => Completion(new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop"));
        }
        return this;
    }

    /// <summary>The next request gets a call of <paramref name="function"/> with these JSON arguments.</summary>
    public FakeOpenAIServer CallToolNext(string function, JsonObject arguments)
    {
        var id = $"call_{Guid.NewGuid():N}";
        _next.Enqueue(() => Completion(new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = null,
            ["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = function, ["arguments"] = arguments.ToJsonString() },
            }),
        }, "tool_calls"));
        return this;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))?.AsObject() ?? [];
        _requests.Enqueue(new FakeChatRequest(context.Request.Headers.Authorization.ToString(), body)
        {
            Headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
        });
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }
        if (ErrorStatus is { } status)
        {
            var error = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = $"fake error {(int)status}",
                    ["type"] = status == HttpStatusCode.Unauthorized ? "invalid_request_error" : "server_error",
                    ["code"] = status == HttpStatusCode.Unauthorized ? "invalid_api_key" : null,
                },
            };
            return Results.Json(error, statusCode: (int)status);
        }
        var completion = _next.TryDequeue(out var next)
            ? next()
            : Completion(new JsonObject { ["role"] = "assistant", ["content"] = DefaultAnswer }, "stop");
        completion["model"] = body["model"]?.GetValue<string>() ?? "fake-model";
        return Results.Json(completion);
    }

    private static JsonObject Completion(JsonObject message, string finishReason) => new()
    {
        ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
