using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
public sealed class FakeOpenAIServer : LoopbackServer
{
    private readonly ConcurrentQueue<Func<JsonObject>> _next = new();
    private readonly ConcurrentQueue<FakeChatRequest> _requests = new();

    private FakeOpenAIServer()
    {
        App.MapPost("/v1/chat/completions", (Delegate)HandleAsync);
        App.MapPost("/chat/completions", (Delegate)HandleAsync);
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
        await server.ListenAsync();
        var address = server.BaseUrl;
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
        if (body["stream"]?.GetValue<bool>() == true)
        {
            await WriteStreamAsync(context, completion);
            return Results.Empty;
        }
        return Results.Json(completion);
    }

    /// <summary>
    /// The same completion as server-sent events, as OpenAI streams it (OpenClaw's gateway always asks with
    /// <c>stream: true</c>): one chunk with the whole message as its delta, one with the finish reason and usage, [DONE].
    /// </summary>
    private static async Task WriteStreamAsync(HttpContext context, JsonObject completion)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var choice = completion["choices"]![0]!;
        var message = choice["message"]!.AsObject();
        var delta = new JsonObject { ["role"] = "assistant", ["content"] = message["content"]?.DeepClone() };
        if (message["tool_calls"] is JsonArray calls)
        {
            var indexed = new JsonArray();
            for (var i = 0; i < calls.Count; i++)
            {
                var call = calls[i]!.DeepClone().AsObject();
                call["index"] = i;
                indexed.Add(call);
            }
            delta["tool_calls"] = indexed;
        }
        await WriteEventAsync(context, Chunk(completion, delta, null));
        var last = Chunk(completion, new JsonObject(), choice["finish_reason"]?.GetValue<string>());
        last["usage"] = completion["usage"]?.DeepClone();
        await WriteEventAsync(context, last);
        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static JsonObject Chunk(JsonObject completion, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = completion["id"]?.DeepClone(),
        ["object"] = "chat.completion.chunk",
        ["created"] = completion["created"]?.DeepClone(),
        ["model"] = completion["model"]?.DeepClone(),
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static async Task WriteEventAsync(HttpContext context, JsonObject data)
    {
        await context.Response.WriteAsync($"data: {data.ToJsonString()}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static JsonObject Completion(JsonObject message, string finishReason) => new()
    {
        ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
        ["object"] = "chat.completion",
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 },
    };

}
