using KakaoAspire.Webhook.Access;
using KakaoAspire.Webhook.Answers;
using KakaoAspire.Webhook.Deadline;
using KakaoAspire.Webhook.Dedupe;
using KakaoAspire.Webhook.Metrics;
using KakaoAspire.Webhook.Limits;
using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Pairing;
using KakaoAspire.Webhook.Status;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMoltbotConfig();
        // Fail fast while Redis is away: queued commands would wait past the reply deadline; the user gets a polite answer instead.
        // Replies are read on the thread pool: the client's own reader threads cost a thread wake-up and a sleep per reply
        // (context switches per skill request 6.9 -> 4.5; docs/benchmarks.md, session 9). Nothing here blocks the pool.
        builder.AddRedisClient("redis", configureOptions: options =>
        {
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.SocketManager = SocketManager.ThreadPool;
        });
        // No answer without the router: the webhook is not ready while it is away.
        builder.AddDownstreamHealthCheck("agent-router");
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);

        // The router answers within the account's deadline or the webhook answers for it; no retries here,
        // since a retried turn would run the agent twice.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way.
        // No HttpClient timeout: each turn carries its own (timeoutSeconds plus slack), which may exceed 100 s.
        builder.Services.AddHttpClient<AgentRouterClient>((services, client) =>
            {
                client.BaseAddress = new("http://agent-router");
                client.Timeout = Timeout.InfiniteTimeSpan;
                // The router's internal turns API takes the gateway token too (GatewayBearer).
                client.DefaultRequestHeaders.Authorization = new("Bearer", services.GetRequiredService<GatewayToken>().Value);
            })
            .RemoveAllResilienceHandlers()
            // The factory's two logging handlers open a log scope per call and log at Information, which no environment
            // shows for System.Net.Http: a turn's trace and the webhook's own line say what the call did.
            .RemoveAllLoggers()
            // One pool of connections for the life of the process, renewed by the handler itself (so a moved router is
            // found again) instead of a new handler, and new connections, every two minutes. It is also why the
            // singleton DeliveredTurnsSender may keep its client.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
#pragma warning restore EXTEXP0001
        // Registered before the callback worker, so it stops after it and still sends what the worker delivered last.
        builder.Services.AddSingleton<DeliveredTurnsSender>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveredTurnsSender>());
        // Exactly one POST per callbackUrl, to the URL as Kakao wrote it: its own handler, outside the client factory's
        // defaults, because retries would POST twice, a redirect could lead anywhere and service discovery rebuilds the
        // URI (re-encoding the token).
        builder.Services.AddSingleton(services => new KakaoCallbackClient(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(10),
            },
            services.GetRequiredService<ILogger<KakaoCallbackClient>>()));
        builder.Services.AddUrlRedaction(new KakaoCallbackUrlRedaction());

        builder.Services.AddSingleton<RunningTurns>();
        builder.Services.AddOptions<RunningTurnsOptions>().BindConfiguration(RunningTurnsOptions.Section)
            .Validate(o => o.MaxRunning >= 1, $"{RunningTurnsOptions.Section}:MaxRunning must be at least 1; remove it for the default of 500.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CallbackStore>();
        builder.Services.AddSingleton<CallbackQueue>();
        builder.Services.AddHostedService<CallbackWorker>();
        builder.Services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.Section)
            .Validate(o => o.LeaseDuration > TimeSpan.Zero && o.LeaseDuration * 2 < o.Lifetime,
                "Callbacks:LeaseDuration must be positive and under half of Callbacks:Lifetime, so a dead replica's callback is taken up in time.")
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.AnswerPollInterval > TimeSpan.Zero,
                "Callbacks:SweepInterval and Callbacks:AnswerPollInterval must be positive.")
            .Validate(o => o.MaxPending > 0, "Callbacks:MaxPending must be at least 1.")
            .Validate(o => o.StillThinkingAfter > TimeSpan.Zero && o.StillThinkingAfter < o.Lifetime,
                "Callbacks:StillThinkingAfter must be positive and shorter than Callbacks:Lifetime (Kakao's callback lives a minute); remove it for the default of 50 seconds.")
            .Validate(o => o.MinDelayAfterAck >= TimeSpan.Zero, "Callbacks:MinDelayAfterAck must not be negative.")
            .ValidateOnStart();
        builder.Services.AddScoped<TurnAnswers>();
        builder.Services.AddScoped<HeldAnswers>();
        builder.Services.AddSingleton<HeldAnswerStore>();
        builder.Services.AddSingleton<FailedTurnStore>();
        builder.Services.AddSingleton<DedupeStore>();
        builder.Services.AddSingleton<TurnStartStore>();
        builder.Services.AddSingleton<PairingStore>();
        builder.Services.AddSingleton<OpenClawPairing>();
        // Each call has its own timeout; no retries (a slow gateway must not hold a Kakao reply past its 5 s).
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(OpenClawPairing.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<AccessGate>();
        builder.Services.AddScoped<KakaoAspire.Webhook.Skill.SkillReply>();
        builder.Services.AddSingleton<MorePagesStore>();
        builder.Services.AddSingleton<AnswerRenderer>();
        builder.Services.AddSingleton<AccountActivityStore>();
        // A status read: one try with a short timeout, so the status page answers promptly when friendtalk is away.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<FriendTalkQueueClient>(client =>
            {
                client.BaseAddress = new("http://friendtalk");
                client.Timeout = TimeSpan.FromSeconds(5);
            })
            .RemoveAllResilienceHandlers();
        builder.Services.AddHttpClient<KakaoAspire.Webhook.Simulator.SimulatorOutbox>(client =>
            {
                client.BaseAddress = new("http://friendtalk");
                client.Timeout = TimeSpan.FromSeconds(5);
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<KakaoAspire.Webhook.Skill.RequestLines>();
        builder.Services.AddOptions<KakaoAspire.Webhook.Skill.RequestLineOptions>().BindConfiguration(KakaoAspire.Webhook.Skill.RequestLineOptions.Section)
            .Validate(o => o.MaxRequestLinesPerSecond >= 0 && !double.IsNaN(o.MaxRequestLinesPerSecond),
                $"Telemetry:MaxRequestLinesPerSecond must be a number of lines a second, or 0 for a line for every skill request; remove it for the default of {KakaoAspire.Webhook.Skill.RequestLineOptions.DefaultPerSecond}.")
            .ValidateOnStart();
        builder.Services.AddSingleton<KakaoAspire.Webhook.Simulator.SimulatorCallbacks>();
        builder.Services.AddSingleton<UserTurnLimiter>();
    }

    /// <summary>
    /// Before the service listens, so it reports healthy only after: warms what runs after a reply deadline (the Redis
    /// connection, the callback script, the job's JSON), which a cold start otherwise pays inside the 300 ms margin of the
    /// first acks, and loads the script every turn starts with (so requests send its hash, not its text). Bounded and
    /// never fatal: with Redis away the service still starts, and /health says why.
    /// </summary>
    public static async Task WarmUpReplyPathAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KakaoAspire.Webhook.WarmUp");
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            await app.Services.GetRequiredService<CallbackStore>().WarmUpAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await app.Services.GetRequiredService<TurnStartStore>().WarmUpAsync().WaitAsync(TimeSpan.FromSeconds(10));
            logger.LogInformation("Reply path warmed in {ElapsedMs:F0} ms", TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not warm the reply path ({ExceptionType}); the first callback acks after this start may be slower",
                ex.GetType().Name);
        }
    }

    /// <summary>
    /// Every start says how to add each account's secret header in Open Builder (where the value is, never the value)
    /// and which accounts are open wider than the defaults; also when the service runs without the AppHost.
    /// </summary>
    public static void LogWebhookSecurity(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KakaoAspire.Webhook.Security");
        var config = app.Services.GetRequiredService<MoltbotConfig>();
        foreach (var account in config.Kakao.EnabledAccounts.Where(a => a.WebhookSecret is not null))
        {
#pragma warning disable CA2254 // One template, shared with the AppHost's start log.
            logger.LogInformation(WebhookSecretStore.StartLogTemplate, account.Id, account.WebhookSecretHeader, WebhookSecretStore.Location(account));
#pragma warning restore CA2254
        }
        foreach (var notice in SecurityNotices.For(config))
        {
            logger.LogWarning("{SecurityNotice}", notice);
        }
    }
}
