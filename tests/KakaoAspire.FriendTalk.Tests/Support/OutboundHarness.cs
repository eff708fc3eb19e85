using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Sending;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Tests.Support;

/// <summary>
/// Per test: fake NHN and Kakao Event API servers, a Moltbot config pointing at them, and friendtalk service
/// instances (WebApplicationFactory) started and stopped on the class's Redis — stop one and start another to
/// play a crash and a restart.
/// Accounts: <c>default</c> (friendtalk-compat, no night window), <c>brand</c> (brand-message),
/// <c>night</c> (friendtalk-compat, night window 20:50-08:00), <c>nightad</c> (the same, with <c>outbound.isAd</c> true:
/// its sends are ads unless they say otherwise), <c>capped</c> (dailyCap 2), <c>nokeys</c> (no keys).
/// </summary>
public sealed class OutboundHarness : IAsyncDisposable
{
    public const string Token = "test-gateway-token";

    private readonly TempDirectory _dir = new();
    private readonly List<FriendTalkApp> _apps = [];

    private OutboundHarness(RedisServer redis, FakeNhnServer nhn, FakeKakaoEventApi events)
    {
        Redis = redis;
        Nhn = nhn;
        Events = events;
    }

    public RedisServer Redis { get; }

    public FakeNhnServer Nhn { get; }

    public FakeKakaoEventApi Events { get; }

    public string ConfigPath => _dir.File("moltbot.json");

    public static async Task<OutboundHarness> StartAsync(RedisFixture redis)
    {
        await redis.FlushAsync();
        var harness = new OutboundHarness(redis.Server, await FakeNhnServer.StartAsync(), await FakeKakaoEventApi.StartAsync());
        await File.WriteAllTextAsync(harness.ConfigPath, harness.Config().ToJsonString());
        return harness;
    }

    private JsonObject Config()
    {
        JsonObject Outbound(string provider, string? nightWindow, int dailyCap, bool isAd = false) => new()
        {
            ["isAd"] = isAd,
            ["phoneProvider"] = provider,
            ["nhnBaseUrl"] = Nhn.BaseUrl,
            ["brandMessageBaseUrl"] = Nhn.BaseUrl,
            ["eventApiBaseUrl"] = Events.BaseUrl,
            ["eventName"] = "moltbot_push",
            ["nightWindow"] = nightWindow,
            ["dailyCap"] = dailyCap,
        };
        JsonObject Account(string path, JsonObject outbound, bool keys = true)
        {
            var account = new JsonObject { ["webhookPath"] = path, ["outbound"] = outbound };
            if (keys)
            {
                account["senderKey"] = FakeNhnServer.SenderKey;
                account["toastAppKey"] = FakeNhnServer.AppKey;
                account["toastSecretKey"] = FakeNhnServer.SecretKey;
                account["adminKey"] = FakeKakaoEventApi.AdminKey;
                account["botId"] = FakeKakaoEventApi.BotId;
            }
            return account;
        }
        return new JsonObject
        {
            ["gateway"] = new JsonObject { ["auth"] = new JsonObject { ["token"] = Token } },
            ["channels"] = new JsonObject
            {
                ["kakao"] = new JsonObject
                {
                    ["accounts"] = new JsonObject
                    {
                        ["default"] = Account("/kakao/webhook", Outbound("friendtalk-compat", null, 1000)),
                        ["brand"] = Account("/kakao/brand", Outbound("brand-message", null, 1000)),
                        ["night"] = Account("/kakao/night", Outbound("friendtalk-compat", "20:50-08:00", 1000)),
                        ["nightad"] = Account("/kakao/nightad", Outbound("friendtalk-compat", "20:50-08:00", 1000, isAd: true)),
                        ["capped"] = Account("/kakao/capped", Outbound("friendtalk-compat", null, 2)),
                        ["nokeys"] = Account("/kakao/nokeys", Outbound("friendtalk-compat", null, 1000), keys: false),
                    },
                },
            },
        };
    }

    /// <summary>Starts a friendtalk instance; <paramref name="sender"/> false runs the API only.</summary>
    public FriendTalkApp StartApp(
        bool sender = true, TimeProvider? time = null, ISendFaultHook? faults = null, IDictionary<string, string>? settings = null)
    {
        var values = new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = Redis.ConnectionString,
            ["MOLTBOT_CONFIG_PATH"] = ConfigPath,
            ["MOLTBOT_STATE_DIR"] = _dir.Path,
            ["FriendTalk:Sender:Enabled"] = sender ? "true" : "false",
            ["FriendTalk:Sender:IdleDelay"] = "00:00:00.020",
            ["FriendTalk:Sender:LeaseDuration"] = "00:00:03",
            ["FriendTalk:Sender:HttpTimeout"] = "00:00:01",
            ["FriendTalk:Sender:BackoffBase"] = "00:00:00.050",
            ["FriendTalk:Sender:BackoffMax"] = "00:00:00.200",
            ["FriendTalk:Sender:ReconcileDelay"] = "00:00:00.200",
            ["FriendTalk:Sender:PollDelay"] = "00:00:00.100",
            ["FriendTalk:Sender:PollIdleDelay"] = "00:00:00.050",
            ["FriendTalk:Sender:MaxAttempts"] = "4",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in values)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }
                if (faults is not null)
                {
                    services.AddSingleton(faults);
                }
            });
        });
        var app = new FriendTalkApp(factory);
        _apps.Add(app);
        return app;
    }

    public async Task<IDatabase> RedisAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        return connection.GetDatabase();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
        await Nhn.DisposeAsync();
        await Events.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>One running friendtalk service with a client that carries the gateway token.</summary>
public sealed class FriendTalkApp(WebApplicationFactory<Program> factory) : IAsyncDisposable
{
    private HttpClient? _client;
    private bool _disposed;

    public HttpClient Client => _client ??= CreateClient(OutboundHarness.Token);

    public HttpClient CreateClient(string? token)
    {
        var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public T Service<T>() where T : notnull => factory.Services.GetRequiredService<T>();

    public Task<HttpResponseMessage> SendAsync(object body, string? idempotencyKeyHeader = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = JsonContent.Create(body) };
        if (idempotencyKeyHeader is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKeyHeader);
        }
        return Client.SendAsync(request);
    }

    /// <summary>Sends and returns the new message id, asserting 202.</summary>
    public async Task<string> AcceptAsync(string to, string message, string? accountId = null, string? key = null, string? imageUrl = null)
    {
        using var response = await SendAsync(new { to, message, accountId, imageUrl, idempotencyKey = key ?? Guid.NewGuid().ToString() });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["messageId"]!.GetValue<string>();
    }

    public async Task<JsonObject> StatusAsync(string id)
    {
        var text = await Client.GetStringAsync($"/api/v1/messages/{id}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>
    /// Waits until the message reaches <paramref name="status"/> ("sent" is also reached by "delivered", which the
    /// poller may set right after); fails with the last seen record.
    /// </summary>
    public async Task<JsonObject> WaitForStatusAsync(string id, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        JsonObject last;
        do
        {
            last = await StatusAsync(id);
            var current = (string?)last["status"];
            if (current == status || (status == "sent" && current == "delivered"))
            {
                return last;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"Message {id} did not become {status}; last: {last.ToJsonString()}");
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _client?.Dispose();
        await factory.DisposeAsync();
    }
}
