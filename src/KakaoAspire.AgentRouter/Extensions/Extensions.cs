using KakaoAspire.AgentRouter.Gateway;
using KakaoAspire.AgentRouter.Options;
using KakaoAspire.AgentRouter.Tools;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMoltbotConfig();
        // Replies are read on the thread pool, as in the webhook: the client's own reader threads cost thread wake-ups and
        // sleeps per reply (context switches per turn 5.7 -> 2.7; docs/benchmarks.md, session 9). Nothing here blocks the pool.
        builder.AddRedisClient("redis", configureOptions: options => options.SocketManager = StackExchange.Redis.SocketManager.ThreadPool);

        builder.Services.AddOptions<RouterOptions>()
            .BindConfiguration(RouterOptions.Section)
            .Validate(o => o.MaxHistoryMessages >= 2, "AgentRouter:MaxHistoryMessages must be at least 2 (one user and one assistant message).")
            .Validate(o => o.MaxHistoryCharacters >= 100, "AgentRouter:MaxHistoryCharacters must be at least 100.")
            .Validate(o => o.HistoryTtl > TimeSpan.Zero, "AgentRouter:HistoryTtl must be positive, such as 7.00:00:00.")
            .Validate(o => o.LockLease >= TimeSpan.FromMilliseconds(300), "AgentRouter:LockLease must be at least 00:00:00.3.")
            .Validate(o => o.MaxWaitersPerSession >= 1, "AgentRouter:MaxWaitersPerSession must be at least 1 (a message sent during a turn waits for it).")
            .Validate(o => o.AnswerTtl >= TimeSpan.FromMinutes(1), "AgentRouter:AnswerTtl must be at least a minute so held answers survive.")
            .ValidateOnStart();

        builder.Services.AddOptions<GatewayClientOptions>()
            .BindConfiguration(GatewayClientOptions.Section)
            .Validate(o => o.HandshakeTimeout > TimeSpan.Zero, "AgentRouter:MoltbotGateway:HandshakeTimeout must be positive, such as 00:00:10.")
            .Validate(o => o.ChallengeWait >= TimeSpan.Zero, "AgentRouter:MoltbotGateway:ChallengeWait must not be negative.")
            .Validate(o => o.ReconnectMaxDelay >= TimeSpan.FromSeconds(1), "AgentRouter:MoltbotGateway:ReconnectMaxDelay must be at least 00:00:01.")
            .Validate(o => o.StartupWait >= TimeSpan.Zero, "AgentRouter:MoltbotGateway:StartupWait must not be negative, such as 00:01:30.")
            .Validate(o => o.FinalResponseGrace > TimeSpan.Zero, "AgentRouter:MoltbotGateway:FinalResponseGrace must be positive, such as 00:00:01.")
            .ValidateOnStart();

        // The turns API binds and writes its bodies with source-generated JSON (no reflection per request).
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, TurnJsonContext.Default));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionGenerations>();
        builder.Services.AddSingleton<LockReleaseSignals>();
        builder.Services.AddSingleton<SessionLock>();
        builder.Services.AddSingleton<TurnAnswerStore>();
        builder.Services.AddSingleton<TurnStore>();
        builder.Services.AddSingleton<BuiltinAgent>();
        builder.Services.AddSingleton<GatewayDevice>();
        builder.Services.AddSingleton<GatewayConnections>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayConnections>());
        builder.Services.AddSingleton<MoltbotGatewayAgent>();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way.
        // No retries or client timeout: the turn has its own budget, and the relay joins a repeated turn id anyway.
        builder.Services.AddHttpClient(OpenClawPluginAgent.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<OpenClawPluginAgent>();
        builder.Services.AddSingleton<OpenClawAgent>();
        builder.Services.AddSingleton<AgentClients>();
        builder.Services.AddSingleton<TurnRunner>();
        builder.Services.AddSingleton<KakaoAspire.AgentRouter.Metrics.RouterMetrics>();
        // kakao_send runs inside a turn with Kakao's user waiting: a few quick retries of transient failures (safe, every
        // call carries an idempotency key), never a 429 (the cap is reached until midnight) and never a wait for a
        // Retry-After, which may say hours; the agent reads "Not sent (429)" at once instead.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way.
        builder.Services.AddHttpClient(OutboundApiClient.HttpClientName, client => client.BaseAddress = new("http://friendtalk"))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.ShouldRetryAfterHeader = false;
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && args.Outcome.Result?.StatusCode != System.Net.HttpStatusCode.TooManyRequests);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(12);
            });
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<OutboundApiClient>();
        builder.Services.AddSingleton<AgentSendQuota>();
    }
}
