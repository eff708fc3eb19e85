using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>
/// Agents in the user's OpenClaw gateway reached through the Kakao plugin's relay route (here a loopback stand-in
/// with the plugin's contract; the real plugin and gateway run in the whole-app OpenClaw tests).
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class OpenClawPluginTransportTests(RedisFixture redis) : IAsyncLifetime
{
    private const string Token = "SECRET-relay-token-2718";
    private FakeRelay _relay = null!;

    public async Task InitializeAsync() => _relay = await FakeRelay.StartAsync(Token);

    public async Task DisposeAsync() => await _relay.DisposeAsync();

    private RouterFactory Router(string transport) =>
        new(redis.Server.ConnectionString, Configs.OpenClaw(_relay.Url, Token, transport));

    [Fact]
    public async Task A_turn_goes_through_the_plugin_relay_with_the_original_user_key_and_images_become_markdown_lines()
    {
        await using var router = Router("plugin");
        _relay.Reply = new JsonArray(
            new JsonObject { ["text"] = "사진이에요.", ["mediaUrls"] = new JsonArray("https://example.com/cat.png"), ["isError"] = false },
            new JsonObject { ["text"] = "Request timed out", ["mediaUrls"] = new JsonArray(), ["isError"] = true });

        var answer = await router.TurnAsync("MixedCaseUser", "고양이 사진 보여줘", "turn-1");

        Assert.Equal(("사진이에요.\n\n![](https://example.com/cat.png)", null), (answer.Text, answer.Failure));
        var turn = Assert.Single(_relay.Turns);
        Assert.Equal(("turn-1", "default", "MixedCaseUser", "고양이 사진 보여줘"),
            (turn["turnId"]!.GetValue<string>(), turn["accountId"]!.GetValue<string>(), turn["userKey"]!.GetValue<string>(), turn["text"]!.GetValue<string>()));
        Assert.Contains(router.Logs.Lines, l => l.Contains("agent:main:kakao:direct:mixedcaseuser"));
        Assert.DoesNotContain(router.Logs.Lines, l => l.Contains(Token) || l.Contains(FakeRelay.Secret(Token)));
    }

    [Fact]
    public async Task A_reply_of_only_error_payloads_is_our_failure_text_never_the_gateway_s_words()
    {
        await using var router = Router("plugin");
        _relay.Reply = new JsonArray(new JsonObject { ["text"] = "Request timed out before a response was generated.", ["isError"] = true });

        var answer = await router.TurnAsync("ErrUser", "안녕");

        Assert.Equal("provider-error", answer.Failure);
        Assert.DoesNotContain("timed out", answer.Text);
    }

    [Fact]
    public async Task A_relay_that_refuses_our_secret_is_an_authorization_failure_named_in_the_log()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.OpenClaw(_relay.Url, "another-token", "plugin"));

        var answer = await router.TurnAsync("WrongSecretUser", "안녕");

        Assert.Equal("unauthorized", answer.Failure);
        Assert.Empty(_relay.Turns);
        Assert.Contains(router.Logs.Lines, l => l.Contains("refused our secret"));
    }

    [Fact]
    public async Task Auto_uses_the_plugin_when_its_relay_answers()
    {
        await using var router = Router("auto");

        var answer = await router.TurnAsync("AutoUser", "자동 선택");

        Assert.Equal((FakeRelay.DefaultText, null), (answer.Text, answer.Failure));
        Assert.Single(_relay.Turns);
        Assert.Contains(router.Logs.Lines, l => l.Contains("agent turns go through the plugin"));
    }

    /// <summary>The plugin's relay contract: the derived secret header, a turn in, the reply's payloads out.</summary>
    private sealed class FakeRelay : IAsyncDisposable
    {
        public const string DefaultText = "플러그인을 거친 답이에요.";
        private readonly WebApplication _app;

        private FakeRelay(string token)
        {
            _app = LoopbackApp.CreateBuilder().Build();
            var secret = Secret(token);
            _app.MapMethods("/kakao/relay", ["GET", "POST"], async (HttpContext http) =>
            {
                if (http.Request.Headers["x-kakao-relay-secret"].ToString() != secret)
                {
                    return Results.Json(new JsonObject { ["error"] = "missing or wrong x-kakao-relay-secret" }, statusCode: 401);
                }
                if (HttpMethods.IsGet(http.Request.Method))
                {
                    return Results.Json(new JsonObject { ["ok"] = true, ["channel"] = "kakao", ["plugin"] = "kakao" });
                }
                var turn = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
                Turns.Enqueue(turn);
                var user = turn["userKey"]!.GetValue<string>().ToLowerInvariant();
                return Results.Json(new JsonObject
                {
                    ["ok"] = true, ["agentId"] = "main", ["sessionKey"] = $"agent:main:kakao:direct:{user}",
                    ["payloads"] = Reply.DeepClone(),
                });
            });
        }

        public ConcurrentQueue<JsonObject> Turns { get; } = new();

        public JsonArray Reply { get; set; } = new(new JsonObject { ["text"] = DefaultText, ["isError"] = false });

        public string Url { get; private set; } = "";

        public static string Secret(string token) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "kakao-relay-v1"u8));

        public static async Task<FakeRelay> StartAsync(string token)
        {
            var relay = new FakeRelay(token);
            await relay._app.StartAsync();
            relay.Url = LoopbackApp.Address(relay._app).Replace("http://", "ws://") + "/";
            return relay;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
