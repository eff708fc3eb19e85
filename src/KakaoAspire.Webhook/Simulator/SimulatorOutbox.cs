using KakaoAspire.Contracts;
using StackExchange.Redis;

namespace KakaoAspire.Webhook.Simulator;

/// <summary>
/// The simulator's side panel: outbound messages the friendtalk service accepted (newest first), with the masked
/// recipient only: the stored payload with the full phone number never reaches the browser.
/// </summary>
public static class SimulatorOutbox
{
    private static readonly string[] ShownFields = ["id", "status", "to", "message", "reason", "provider", "accountId", "acceptedAt"];

    public static async Task<IResult> ListAsync(IConnectionMultiplexer redis)
    {
        var server = redis.GetServers().FirstOrDefault();
        if (server is null)
        {
            return TypedResults.Ok(Array.Empty<object>());
        }
        var database = redis.GetDatabase();
        var items = new List<Dictionary<string, string>>();
        await foreach (var key in server.KeysAsync(pattern: RedisKeys.OutboundMessage("*"), pageSize: 200))
        {
            var fields = await database.HashGetAllAsync(key);
            if (fields.Length > 0)
            {
                items.Add(fields
                    .Where(f => ShownFields.Contains(f.Name.ToString()))
                    .ToDictionary(f => f.Name.ToString(), f => f.Value.ToString()));
            }
            if (items.Count >= 200)
            {
                break;
            }
        }
        return TypedResults.Ok(items
            .OrderByDescending(i => i.GetValueOrDefault("acceptedAt") ?? "")
            .Take(50)
            .ToArray());
    }
}
