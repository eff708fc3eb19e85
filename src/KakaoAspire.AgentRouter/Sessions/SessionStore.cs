using System.Text.Json;
using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Sessions;

/// <summary>
/// A session's history in Redis: a list of JSON turns, newest last, bounded in messages and characters, expiring.
/// The turn's own scripts read and write it (<c>TurnStore</c>: read with the session lock, appended only while the lock
/// is still the turn's); this class holds the format and the bounds.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IOptions<RouterOptions> options)
{
    private RouterOptions Limits => options.Value;

    /// <summary>The stored messages (as <c>LRANGE</c> returns them), within both bounds.</summary>
    public IReadOnlyList<SessionTurn> Decode(RedisResult[] values)
    {
        var turns = new List<SessionTurn>(values.Length);
        foreach (var value in values)
        {
            // From the stored UTF-8 as it is: through a string it was transcoded twice, for every message of the history.
            turns.Add(JsonSerializer.Deserialize((byte[])value!, SessionJsonContext.Stored.SessionTurn)!);
        }
        return Bounded(turns, Limits.MaxHistoryMessages, Limits.MaxHistoryCharacters);
    }

    /// <summary>
    /// How many messages to keep once <paramref name="turns"/> join <paramref name="history"/> (the list is trimmed to
    /// that many, oldest first, so both bounds hold), and the new messages as stored.
    /// </summary>
    public (long Keep, RedisValue[] Values) Encode(IReadOnlyList<SessionTurn> history, IReadOnlyList<SessionTurn> turns)
    {
        var kept = Bounded([.. history, .. turns], Limits.MaxHistoryMessages, Limits.MaxHistoryCharacters).Count;
        var values = new RedisValue[turns.Count];
        for (var i = 0; i < turns.Count; i++)
        {
            values[i] = JsonSerializer.SerializeToUtf8Bytes(turns[i], SessionJsonContext.Stored.SessionTurn);
        }
        return (Math.Max(kept, 1), values);
    }

    public Task DeleteAsync(string sessionKey) => redis.GetDatabase().KeyDeleteAsync(RouterRedisKeys.SessionTurns(sessionKey));

    /// <summary>The newest messages that fit both bounds (the newest one always stays, even when it alone is too long).</summary>
    public static IReadOnlyList<SessionTurn> Bounded(IReadOnlyList<SessionTurn> turns, int maxMessages, int maxCharacters)
    {
        var count = 0;
        var characters = 0;
        for (var i = turns.Count - 1; i >= 0 && count < maxMessages; i--)
        {
            characters += turns[i].Text.Length;
            if (count > 0 && characters > maxCharacters)
            {
                break;
            }
            count++;
        }
        return turns.Skip(turns.Count - count).ToList();
    }
}
