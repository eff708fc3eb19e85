using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>
/// The agent-router in memory on a real Redis, with its own Moltbot config file (the JSON of docs/contracts.md#the-config-file) and state folder.
/// Several factories on one Redis are several router replicas.
/// </summary>
public sealed class RouterFactory(
    string redisConnectionString, string configJson, Action<IServiceCollection>? services = null,
    IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    private readonly TempDirectory _folder = new();

    /// <summary>Every log record of the router, so tests can assert what an operator would read.</summary>
    public FakeLogCollector Logs { get; } = new();

    /// <summary>The router's MOLTBOT_STATE_DIR (the Kakao state folder is its "kakao" subfolder).</summary>
    public string StateDirectory => _folder.File("state");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var configPath = _folder.File("moltbot.json");
        File.WriteAllText(configPath, configJson);
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        builder.UseSetting("MOLTBOT_CONFIG_PATH", configPath);
        builder.UseSetting("MOLTBOT_STATE_DIR", StateDirectory);
        // Short leases keep the lock tests quick; production keeps the default.
        builder.UseSetting("AgentRouter:LockLease", "00:00:03");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(Logs)));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>Every client calls as the webhook does: with the gateway token the router resolved.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new("Bearer", Services.GetRequiredService<KakaoAspire.Moltbot.Config.GatewayToken>().Value);
    }

    /// <summary>Starts the host now, so a test that measures time does not measure the start.</summary>
    public RouterFactory Started()
    {
        CreateClient().Dispose();
        return this;
    }

    public async Task<TurnResponse> TurnAsync(string userKey, string text, string? turnId = null, string accountId = "default")
    {
        using var response = await PostTurnAsync(Turn(userKey, text, turnId, accountId));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TurnResponse>())!;
    }

    public async Task<HttpResponseMessage> PostTurnAsync(TurnRequest turn, Action<HttpRequestMessage>? configure = null)
    {
        var client = CreateClient();
        // Generous: a real OpenClaw gateway on a loaded machine takes tens of seconds per run.
        client.Timeout = TimeSpan.FromMinutes(5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/turns/") { Content = JsonContent.Create(turn) };
        configure?.Invoke(request);
        return await client.SendAsync(request);
    }

    /// <summary>A turn as the webhook builds it: user.id is the botUserKey, the peer the plusfriendUserKey.</summary>
    public static TurnRequest Turn(string userKey, string text, string? turnId = null, string accountId = "default") => new()
    {
        TurnId = turnId ?? Guid.NewGuid().ToString("N"),
        AccountId = accountId,
        UserId = "Bot" + userKey,
        UserType = "botUserKey",
        BotUserKey = "Bot" + userKey,
        PlusfriendUserKey = userKey,
        Text = text,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
