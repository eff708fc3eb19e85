using KakaoAspire.Moltbot.Config;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Status;

/// <summary><c>GET /api/v1/status</c> (bearer): what <c>moltbot kakao status</c> prints. Never a secret, only where the token lives.</summary>
public static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/status").RequireGatewayToken();
        api.MapGet("/", GetStatus);
        return api;
    }

    public static async Task<Ok<StatusSnapshot>> GetStatus(
        HttpRequest request, MoltbotConfig config, GatewayToken token, AccountActivityStore activity, FriendTalkQueueClient friendtalk,
        ILogger<AccountActivityStore> logger)
    {
        var (queues, queueError) = await ReadQueuesAsync(friendtalk, logger, request.HttpContext.RequestAborted);
        var accounts = new List<AccountStatus>();
        string? stateError = null;
        foreach (var account in config.Kakao.Accounts)
        {
            var status = Describe(account);
            try
            {
                var (inbound, outbound, lastError, lastErrorAt) = await activity.ReadAsync(account.Id);
                status = status with { In = inbound, Out = outbound, LastError = lastError, LastErrorAt = lastErrorAt };
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "Status: could not read the activity of account {AccountId}", account.Id);
                stateError = "Redis is unreachable; in/out are unknown.";
            }
            accounts.Add(status with { Queue = queues.GetValueOrDefault(account.Id) });
        }
        return TypedResults.Ok(new StatusSnapshot(accounts, new TokenLocation(token.Source, token.FilePath), config.SourcePath, stateError)
        {
            QueueError = queueError,
        });
    }

    /// <summary>The status page still answers when the friendtalk service does not; it says so instead.</summary>
    private static async Task<(IReadOnlyDictionary<string, OutboundQueueStatus> Queues, string? Error)> ReadQueuesAsync(
        FriendTalkQueueClient outbound, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return (await outbound.ReadAsync(cancellationToken), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Status: the friendtalk service did not report its queue ({ExceptionType}: {Message})", ex.GetType().Name, ex.Message);
            return (new Dictionary<string, OutboundQueueStatus>(), $"The friendtalk service did not answer ({ex.GetType().Name}); queue figures are unknown.");
        }
    }

    private static AccountStatus Describe(KakaoAccountConfig account)
    {
        var missing = new List<string>();
        if (!account.HasAdminKey)
        {
            missing.Add("adminKey");
        }
        return new AccountStatus(account.Id, account.Name, account.Enabled, missing.Count == 0, missing, account.DmPolicy.ToConfigValue(),
            account.WebhookPort, account.WebhookPath, account.WebhookSecret is not null, account.WebhookSecretSource, account.IsNhnOutboundConfigured,
            account.IsEventApiConfigured, new(null, 0), new(null, 0), null, null);
    }
}

public sealed record StatusSnapshot(IReadOnlyList<AccountStatus> Accounts, TokenLocation Token, string? ConfigPath, string? StateError)
{
    /// <summary>Set when the friendtalk service could not report the outbound queues.</summary>
    public string? QueueError { get; init; }
}

/// <summary>Where the gateway token comes from: "config" or "generated" (then the file it lives in). Never the value.</summary>
public sealed record TokenLocation(string Source, string? FilePath);

public sealed record AccountStatus(
    string Id, string? Name, bool Enabled, bool Configured, IReadOnlyList<string> Missing, string DmPolicy,
    int WebhookPort, string WebhookPath, bool WebhookSecretSet, string WebhookSecretSource, bool FriendTalkConfigured, bool EventApiConfigured,
    ActivitySnapshot In, ActivitySnapshot Out, string? LastError, DateTimeOffset? LastErrorAt)
{
    /// <summary>The account's outbound queue, today's dailyCap use and last send failure (null when unknown).</summary>
    public OutboundQueueStatus? Queue { get; init; }
}
