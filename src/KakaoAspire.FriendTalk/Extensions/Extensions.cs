using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.FriendTalk.Metrics;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Queue;
using KakaoAspire.FriendTalk.Sending;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddMoltbotConfig();
        builder.AddRedisClient("redis");
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, OutboundJsonContext.Default));

        builder.Services.AddOptions<SenderOptions>().BindConfiguration(SenderOptions.Section)
            .Validate(o => o.LeaseDuration > o.HttpTimeout,
                $"{SenderOptions.Section}:LeaseDuration must be longer than {SenderOptions.Section}:HttpTimeout, or a live batch could be taken over.")
            .Validate(o => o.MaxBatchRecipients is >= 1 and <= BatchGroups.NhnMaxRecipients,
                $"{SenderOptions.Section}:MaxBatchRecipients must be from 1 to {BatchGroups.NhnMaxRecipients} (NHN's limit per request); remove it for the default of {BatchGroups.NhnMaxRecipients}.")
            .Validate(o => o.QueueSampleInterval >= TimeSpan.FromMilliseconds(100),
                $"{SenderOptions.Section}:QueueSampleInterval must be at least 00:00:00.1; remove it for the default of 10 seconds.")
            .Validate(o => o.IdleDelay > TimeSpan.Zero && o.PollIdleDelay > TimeSpan.Zero,
                $"{SenderOptions.Section}:IdleDelay and {SenderOptions.Section}:PollIdleDelay must be positive, or an idle sender spins.")
            .Validate(o => o.IdleDelayMax >= o.IdleDelay && o.PollIdleDelayMax >= o.PollIdleDelay,
                $"{SenderOptions.Section}:IdleDelayMax and {SenderOptions.Section}:PollIdleDelayMax must be at least IdleDelay and PollIdleDelay.")
            .Validate(o => o.MaxAttempts >= 1 && o.MaxRounds >= 1,
                $"{SenderOptions.Section}:MaxAttempts and {SenderOptions.Section}:MaxRounds must be at least 1.")
            .Validate(o => o.BackoffBase > TimeSpan.Zero && o.BackoffMax >= o.BackoffBase,
                $"{SenderOptions.Section}:BackoffBase must be positive and {SenderOptions.Section}:BackoffMax at least as long.")
            .Validate(o => o.IdempotencyWindow > TimeSpan.Zero && o.ReconcileDelay >= TimeSpan.Zero,
                $"{SenderOptions.Section}:IdempotencyWindow must be positive and {SenderOptions.Section}:ReconcileDelay not negative.")
            .Validate(o => o.PollDelay >= TimeSpan.Zero && o.PollBackoffMax >= o.PollDelay && o.PollGiveUpAfter > TimeSpan.Zero,
                $"{SenderOptions.Section}:PollDelay must not be negative, {SenderOptions.Section}:PollBackoffMax at least as long, and {SenderOptions.Section}:PollGiveUpAfter positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ISendFaultHook, NoSendFaults>();
        builder.Services.AddSingleton<OutboundSignals>();
        builder.Services.AddSingleton<OutboundMessageStore>();
        builder.Services.AddSingleton<OutboundQueue>();
        builder.Services.AddSingleton<BatchSender>();
        builder.Services.AddSingleton<QueueInspector>();
        builder.Services.AddSingleton<FriendTalkMetrics>();
        builder.Services.AddHostedService<QueueMonitor>();

        // Providers retry by our own rules (idempotency key, error classes), so the default resilience handler goes.
        builder.AddProvider<FriendTalkCompatProvider>(ProviderKind.FriendtalkCompat);
        builder.AddProvider<BrandMessageProvider>(ProviderKind.BrandMessage);
        builder.AddProvider<EventApiProvider>(ProviderKind.EventApi);
        builder.Services.AddUrlRedaction(new NhnAppKeyUrlRedaction());

        builder.Services.AddHostedService<OutboundSender>();
        builder.Services.AddHostedService<DeliveryPoller>();
    }

    private static void AddProvider<TProvider>(this IHostApplicationBuilder builder, ProviderKind kind)
        where TProvider : class, IOutboundProvider
    {
#pragma warning disable EXTEXP0001 // Evaluation API; it is the documented way to drop the defaults' handler.
        builder.Services.AddHttpClient(kind.Name(), (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<SenderOptions>>().Value.HttpTimeout)
            .RemoveAllResilienceHandlers()
            // NHN puts the appkey in the URL path; the default client logs would print it.
            .RemoveAllLoggers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<IOutboundProvider, TProvider>();
    }
}
