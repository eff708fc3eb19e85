using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Spans a developer asks for when a trace must show more than what happened (edge, webhook, skill request, router,
/// agent turn): each costs CPU on every request, in the service and in whatever receives the telemetry (the dashboard
/// spent more CPU per request than the services did), and says little a turn's own spans do not.
/// <list type="bullet">
/// <item><c>Telemetry:RedisCommandSpans</c> (default false): a span per Redis command. Aspire's Redis client profiles
/// every command, sampled or not, and turns background polls into a stream of root traces. An explicit
/// <c>Aspire:StackExchange:Redis:DisableTracing</c> still decides on its own.</item>
/// <item><c>Telemetry:HttpClientSpans</c> (default false): a client span per outgoing HTTP call. Without it the
/// caller's current span (a skill request, an agent turn) is the parent the next service sees, sampling decision
/// included; the hops keep their server spans.</item>
/// </list>
/// </summary>
public static class TelemetrySettings
{
    public const string RedisCommandSpansKey = "Telemetry:RedisCommandSpans";
    public const string HttpClientSpansKey = "Telemetry:HttpClientSpans";

    /// <summary>Aspire.StackExchange.Redis's own switch; its component reads it when the service registers the client.</summary>
    public const string AspireRedisDisableTracingKey = "Aspire:StackExchange:Redis:DisableTracing";

    public static bool RedisCommandSpans(IConfiguration configuration) => Flag(configuration, RedisCommandSpansKey);

    public static bool HttpClientSpans(IConfiguration configuration) => Flag(configuration, HttpClientSpansKey);

    /// <summary>
    /// Turns Aspire's Redis tracing off unless <c>Telemetry:RedisCommandSpans</c> asks for it or Aspire's own setting
    /// is given. Runs before the service registers its Redis client (<c>AddServiceDefaults</c> comes first).
    /// </summary>
    public static void ApplyRedisDefault(IConfigurationManager configuration)
    {
        var redisSpans = RedisCommandSpans(configuration);
        if (string.IsNullOrWhiteSpace(configuration[AspireRedisDisableTracingKey]))
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [AspireRedisDisableTracingKey] = redisSpans ? "false" : "true",
            });
        }
    }

    private static bool Flag(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }
        return bool.TryParse(value.Trim(), out var flag)
            ? flag
            : throw new InvalidOperationException($"{key} is '{value}'; set true or false (default false), e.g. '{key.Replace(":", "__")}=true'.");
    }
}
