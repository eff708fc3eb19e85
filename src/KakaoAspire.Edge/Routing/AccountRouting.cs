using System.Diagnostics;
using System.Globalization;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Edge.Routing;

public static partial class AccountRouting
{
    /// <summary>
    /// Tells the webhook which account a skill request is for. Any account header a caller sent is removed first,
    /// and the header is set only from the (local port, path) pair, so no caller can choose another account.
    /// </summary>
    public static IApplicationBuilder UseAccountRouting(this IApplicationBuilder app)
    {
        // Looked up once, not on every request: both live as long as the app.
        var accounts = app.ApplicationServices.GetRequiredService<AccountTable>();
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountRouting));
        return app.Use((context, next) =>
        {
            context.Request.Headers.Remove(InternalHeaders.Account);
            context.Request.Headers.Remove(InternalHeaders.ReceivedAt);
            var account = accounts.Match(context.Connection.LocalPort, context.Request.Path);
            if (account is not null)
            {
                context.Request.Headers[InternalHeaders.Account] = account.Id;
                context.Request.Headers[InternalHeaders.ReceivedAt] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                context.Request.Path = InternalPaths.Skill;
                // The request's server span names the account, so a trace says whose request it was from the edge on.
                Activity.Current?.SetTag("kakao.account_id", account.Id);
                // One line per skill request, off by default (appsettings.json keeps this category at Warning): the
                // webhook's line already names the account with the trace id, and this one cost the development
                // dashboard about a fifth of its throughput (docs/benchmarks.md). Turned on, it starts the trail at the edge.
                LogSkillRequest(logger, account.Id);
            }
            return next(context);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Skill request for account {AccountId}")]
    private static partial void LogSkillRequest(ILogger logger, string accountId);
}
