using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KakaoAspire.TestSupport;

/// <summary>
/// Kakao i Open Builder's Event API on loopback (real Kestrel, a free port): <c>POST /v2/bots/{botId}/talk</c>
/// with <c>Authorization: KakaoAK {adminKey}</c>, answering <c>{taskId, status, message, timestamp}</c>.
/// Point an account at it with <c>outbound.eventApiBaseUrl</c> = <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeKakaoEventApi : LoopbackServer
{
    public const string AdminKey = "fake-admin-key";
    public const string BotId = "fake-bot-id";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FakeFailure> _failures = new();
    private readonly ConcurrentQueue<(string TaskId, JsonNode Body)> _accepted = new();

    private FakeKakaoEventApi()
    {
        App.MapPost("/v2/bots/{botId}/talk", TalkAsync);
    }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Requests Kakao accepted (a task was created): each is one push to the users in it.</summary>
    public IReadOnlyList<(string TaskId, JsonNode Body)> Accepted => _accepted.ToArray();

    public static async Task<FakeKakaoEventApi> StartAsync()
    {
        var server = new FakeKakaoEventApi();
        await server.ListenAsync();
        return server;
    }

    public FakeKakaoEventApi FailNext(params FakeFailure[] failures)
    {
        foreach (var failure in failures)
        {
            _failures.Enqueue(failure);
        }
        return this;
    }

    private async Task<IResult> TalkAsync(HttpContext http, string botId)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest("POST", http.Request.Path, http.Request.QueryString.Value ?? "", headers, text));

        if (_failures.TryDequeue(out var failure))
        {
            if (failure.Delay is { } delay)
            {
                await Task.Delay(delay);
            }
            if (failure.HttpStatus is { } status)
            {
                return Results.Json(new JsonObject { ["code"] = -status, ["msg"] = failure.Message ?? "fake failure" }, statusCode: status);
            }
            if (failure.ResultCode is not null)
            {
                return Results.Json(new JsonObject { ["taskId"] = Guid.NewGuid().ToString(), ["status"] = "FAIL", ["message"] = failure.Message ?? "fake failure" });
            }
        }
        if (headers.GetValueOrDefault("Authorization") != $"KakaoAK {AdminKey}" || botId != BotId)
        {
            return Results.Json(new JsonObject { ["code"] = -401, ["msg"] = "this access token does not exist" }, statusCode: 401);
        }
        var taskId = Guid.NewGuid().ToString();
        _accepted.Enqueue((taskId, JsonNode.Parse(text)!));
        return Results.Json(new JsonObject
        {
            ["taskId"] = taskId,
            ["status"] = "SUCCESS",
            ["message"] = "",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });
    }

}
