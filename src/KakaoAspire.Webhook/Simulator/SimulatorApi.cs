using System.Text.Json.Nodes;
using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KakaoAspire.Webhook.Simulator;

/// <summary>
/// A local stand-in for Open Builder's bot test panel (Development only, and only for callers on this machine): a chat
/// page that sends real SkillPayloads to the public webhook path through this server — which adds the account's secret
/// header, so the secret never reaches the browser — plus a loopback callback receiver, so the useCallback path can be
/// tried on a laptop. Anyone else gets 404, as if the routes did not exist: they send as any user, past the secret.
/// </summary>
public static class SimulatorApi
{
    public const string CallbackPath = "/simulator/callback";

    public static RouteGroupBuilder MapSimulatorApi(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup("/simulator");
        simulator.AddEndpointFilter(async (context, next) =>
            LocalCallers.IsLocal(context.HttpContext) ? await next(context) : TypedResults.NotFound());
        simulator.MapGet("/", () => Asset("index.html", "text/html; charset=utf-8"));
        simulator.MapGet("/app.js", () => Asset("app.js", "text/javascript; charset=utf-8"));
        simulator.MapGet("/style.css", () => Asset("style.css", "text/css; charset=utf-8"));
        simulator.MapGet("/api/accounts", ListAccounts);
        simulator.MapPost("/api/send", Send);
        simulator.MapGet("/api/callbacks/{callbackId}", GetCallback);
        simulator.MapGet("/api/outbox", SimulatorOutbox.ListAsync);
        simulator.MapPost("/callback/{callbackId}", ReceiveCallback);
        return simulator;
    }

    public sealed record SendRequest(string? AccountId, string? UserId, string? Text, bool Callback);

    private static IResult Asset(string name, string contentType)
    {
        var stream = typeof(SimulatorApi).Assembly.GetManifestResourceStream($"simulator/{name}")
            ?? throw new InvalidOperationException($"The simulator asset {name} is not embedded.");
        return TypedResults.Stream(stream, contentType);
    }

    public static Ok<object[]> ListAccounts(MoltbotConfig config) =>
        TypedResults.Ok(config.Kakao.EnabledAccounts.Select(a => (object)new { id = a.Id, name = a.Name }).ToArray());

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Send(
        SendRequest request, MoltbotConfig config, IServer server, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var account = config.Kakao.FindAccount(request.AccountId ?? config.Kakao.DefaultAccount);
        if (account is null || !account.Enabled)
        {
            return TypedResults.Problem(statusCode: 400, title: "Unknown account", detail: $"No enabled account '{request.AccountId}'.");
        }
        if (string.IsNullOrWhiteSpace(request.Text) || string.IsNullOrWhiteSpace(request.UserId))
        {
            return TypedResults.Problem(statusCode: 400, title: "Nothing to send", detail: "Type a message and a user id.");
        }

        var callbackId = Guid.NewGuid().ToString("N");
        var payload = Payload(account, request.UserId.Trim(), request.Text.Trim(),
            request.Callback ? $"{LoopbackAddress(server)}{CallbackPath}/{callbackId}" : null);

        // The public path, through the edge, exactly as Kakao would call it.
        using var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{account.WebhookPort}{account.WebhookPath}")
        {
            Content = JsonContent.Create(payload),
        };
        if (account.WebhookSecret is { } secret)
        {
            message.Headers.TryAddWithoutValidation(account.WebhookSecretHeader, secret);
        }
        using var http = clients.CreateClient(nameof(SimulatorApi));
        using var reply = await http.SendAsync(message, cancellationToken);
        var text = await reply.Content.ReadAsStringAsync(cancellationToken);
        if (!reply.IsSuccessStatusCode)
        {
            return TypedResults.Problem(statusCode: (int)reply.StatusCode, title: "The webhook refused the request", detail: text);
        }
        return TypedResults.Ok(new JsonObject { ["response"] = JsonNode.Parse(text), ["callbackId"] = callbackId });
    }

    public static Results<Ok<JsonNode>, NoContent> GetCallback(string callbackId, SimulatorCallbacks callbacks) =>
        callbacks.TryTake(callbackId, out var body) ? TypedResults.Ok(body!) : TypedResults.NoContent();

    /// <summary>Answers like Kakao's callback endpoint does, so the webhook's callback worker sees success.</summary>
    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ReceiveCallback(
        string callbackId, HttpRequest request, SimulatorCallbacks callbacks)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = SimulatorCallbacks.MaxBodyBytes;
        }
        if (request.ContentLength > SimulatorCallbacks.MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: 413, title: "Callback body too large",
                detail: $"The simulator keeps callback bodies up to {SimulatorCallbacks.MaxBodyBytes} bytes.");
        }
        var body = await JsonNode.ParseAsync(request.Body) ?? new JsonObject();
        callbacks.Add(callbackId, body);
        return TypedResults.Ok(new JsonObject
        {
            ["taskId"] = callbackId,
            ["status"] = "SUCCESS",
            ["message"] = "OK",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });
    }

    /// <summary>This service's own http address on loopback (the callback receiver is never exposed by the edge).</summary>
    private static string LoopbackAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The webhook has no http address.");
        var uri = new Uri(address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1"));
        return $"http://127.0.0.1:{uri.Port}";
    }

    /// <summary>A SkillPayload shaped like the ones Open Builder sends (see the fixtures).</summary>
    public static JsonObject Payload(KakaoAccountConfig account, string userId, string text, string? callbackUrl)
    {
        var userRequest = new JsonObject
        {
            ["timezone"] = "Asia/Seoul",
            ["params"] = new JsonObject { ["surface"] = "BuilderBotTest" },
            ["block"] = new JsonObject { ["id"] = "simulator", ["name"] = "폴백 블록" },
            ["utterance"] = text,
            ["lang"] = "ko",
            ["user"] = new JsonObject
            {
                ["id"] = userId,
                ["type"] = "botUserKey",
                ["properties"] = new JsonObject { ["botUserKey"] = userId, ["isFriend"] = true },
            },
        };
        if (callbackUrl is not null)
        {
            userRequest["callbackUrl"] = callbackUrl;
        }
        return new JsonObject
        {
            ["intent"] = new JsonObject { ["id"] = "simulator", ["name"] = "폴백 블록" },
            ["userRequest"] = userRequest,
            ["bot"] = new JsonObject { ["id"] = "simulator-bot", ["name"] = account.Name ?? "몰트봇" },
            ["action"] = new JsonObject
            {
                ["name"] = "moltbot-gateway", ["id"] = "simulator", ["params"] = new JsonObject(),
                ["detailParams"] = new JsonObject(), ["clientExtra"] = new JsonObject(),
            },
            ["contexts"] = new JsonArray(),
        };
    }
}
