using System.Text.Json;
using KakaoAspire.AgentRouter.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KakaoAspire.AgentRouter.Turns;

/// <summary>
/// A turn's Redis work at the router in two round trips when its session is free: <see cref="BeginAsync"/> (the stored
/// answer of a repeated turn id, else claim the turn, take the session lock, read the generation and the history) and
/// <see cref="EndAsync"/> (append the exchange while the lock is still the turn's, store the answer, clear the claim,
/// release the lock). Each is one script, so each is also one atomic step.
/// </summary>
public sealed class TurnStore(
    IConnectionMultiplexer redis, SessionLock sessionLock, SessionStore sessions, SessionGenerations generations, IOptions<RouterOptions> options)
{
    // The current generation (kept alive while the user talks) and its history. The history key is the one
    // RouterRedisKeys.SessionTurns names for SessionKeys.WithGeneration(base, n): the base key's, with ":g<n>" before
    // ":turns" from generation 2 on. Built here because the generation is only known once read.
    private const string ReadSessionFunction = """
        local function session(generationKey, lifetime, baseTurnsKey)
          local stored = redis.call('GET', generationKey)
          local generation = tonumber(stored) or 1
          if stored then redis.call('PEXPIRE', generationKey, lifetime) end
          local turnsKey = baseTurnsKey
          if generation > 1 then
            turnsKey = string.sub(baseTurnsKey, 1, -7) .. ':g' .. generation .. ':turns'
          end
          return {'started', generation, redis.call('LRANGE', turnsKey, 0, -1)}
        end

        """;

    // A stored answer wins (a repeated turn id); a running claim means another request runs the turn; a busy lock
    // leaves the turn claimed, to wait for the lock.
    private const string BeginScript = ReadSessionFunction + """
        local answer = redis.call('GET', KEYS[1])
        if answer then return {'answered', answer} end
        if not redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return {'running'} end
        if not redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4], 'NX') then return {'busy'} end
        return session(KEYS[4], ARGV[5], KEYS[5])
        """;

    private const string ReadSessionScript = ReadSessionFunction + "return session(KEYS[1], ARGV[1], KEYS[2])";

    // The exchange is appended only while the lock still holds the turn's token: a turn whose lock lapsed (a Redis
    // outage longer than the lease) and was taken by the next turn cannot append beside it. The answer is stored before
    // the claim goes, so a reader never sees neither. 0 = no lock of ours (nothing appended), 1 = released,
    // 2 = released and messages wait for it (the caller announces it). The exchange goes in one RPUSH, the trim only
    // runs when the list is over its bound, and the claim and the lock go in one DEL: fewer commands, though Garnet's
    // CPU for the script did not measurably change (docs/benchmarks.md, "Session 11").
    // table.unpack is Lua 5.4's (Garnet), unpack Lua 5.1's (Redis).
    private const string EndScript = """
        local held = ARGV[1] ~= '' and redis.call('GET', KEYS[1]) == ARGV[1]
        if held and #ARGV > 5 then
          local length = redis.call('RPUSH', KEYS[5], (table.unpack or unpack)(ARGV, 6))
          if length > tonumber(ARGV[4]) then redis.call('LTRIM', KEYS[5], -tonumber(ARGV[4]), -1) end
          redis.call('PEXPIRE', KEYS[5], ARGV[5])
        end
        redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
        if not held then
          redis.call('DEL', KEYS[4])
          return 0
        end
        redis.call('DEL', KEYS[4], KEYS[1])
        return 1 + redis.call('EXISTS', KEYS[2])
        """;

    /// <summary>
    /// The stored answer when the turn id was seen before; otherwise claims the turn for <paramref name="budget"/>
    /// (unless another request already runs it) and, when the session is free, takes it with its history.
    /// </summary>
    public async Task<TurnBeginning> BeginAsync(string turnId, TimeSpan budget, string baseSessionKey)
    {
        var token = SessionLock.NewToken();
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(BeginScript,
            [
                RouterRedisKeys.TurnAnswer(turnId), RouterRedisKeys.TurnRunning(turnId), RouterRedisKeys.SessionLock(baseSessionKey),
                RouterRedisKeys.SessionGeneration(baseSessionKey), RouterRedisKeys.SessionTurns(baseSessionKey),
            ],
            [
                Environment.MachineName, (long)budget.TotalMilliseconds, token, (long)sessionLock.Lease.TotalMilliseconds,
                (long)generations.Lifetime.TotalMilliseconds,
            ]))!;
        return (string)result[0]! switch
        {
            "answered" => new(JsonSerializer.Deserialize((string)result[1]!, TurnJsonContext.Stored.TurnResponse), false, null),
            "running" => new(null, false, null),
            "busy" => new(null, true, null),
            _ => new(null, true, Session(sessionLock.Taken(baseSessionKey, token), baseSessionKey, result)),
        };
    }

    /// <summary>
    /// Waits for a busy session (see <see cref="SessionLock.WaitAsync"/>), then reads it as <see cref="BeginAsync"/> does.
    /// Null when it stayed busy.
    /// </summary>
    public async Task<HeldSession?> WaitForSessionAsync(string baseSessionKey, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (await sessionLock.WaitAsync(baseSessionKey, wait, cancellationToken) is not { } held)
        {
            return null;
        }
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(ReadSessionScript,
                [RouterRedisKeys.SessionGeneration(baseSessionKey), RouterRedisKeys.SessionTurns(baseSessionKey)],
                [(long)generations.Lifetime.TotalMilliseconds]))!;
            return Session(held, baseSessionKey, result);
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    private HeldSession Session(HeldSessionLock held, string baseSessionKey, RedisResult[] result) => new(
        held, SessionKeys.WithGeneration(baseSessionKey, (long)result[1]), sessions.Decode((RedisResult[])result[2]!));

    /// <summary>
    /// Stores the answer and clears the turn's claim; with a <paramref name="session"/>, also appends
    /// <paramref name="exchange"/> to its history (trimmed to both bounds, TTL refreshed) and releases its lock. False
    /// when the lock was no longer the turn's, so nothing was appended.
    /// </summary>
    public async Task<bool> EndAsync(TurnResponse answer, HeldSession? session, IReadOnlyList<SessionTurn> exchange)
    {
        if (session is not null)
        {
            await session.Lock.StopRenewingAsync();
        }
        var (keep, values) = session is null ? (1, []) : sessions.Encode(session.History, exchange);
        var limits = options.Value;
        var released = (long)await redis.GetDatabase().ScriptEvaluateAsync(EndScript,
            [
                session?.Lock.Key ?? "", session?.Lock.WaitersKey ?? "", RouterRedisKeys.TurnAnswer(answer.TurnId),
                RouterRedisKeys.TurnRunning(answer.TurnId), RouterRedisKeys.SessionTurns(session?.Key ?? answer.SessionKey),
            ],
            [
                session?.Lock.Token ?? "", JsonSerializer.Serialize(answer, TurnJsonContext.Stored.TurnResponse),
                (long)limits.AnswerTtl.TotalMilliseconds, keep, (long)limits.HistoryTtl.TotalMilliseconds, .. values,
            ]);
        if (released > 0)
        {
            await session!.Lock.ReleasedAsync(messagesWait: released == 2);
        }
        return released > 0 || session is null || exchange.Count == 0;
    }
}

/// <summary>What <see cref="TurnStore.BeginAsync"/> found: a stored answer, a turn this request now runs, or neither (another request runs it).</summary>
/// <param name="Session">The session when its lock was free; null for a claimed turn whose session is busy.</param>
public sealed record TurnBeginning(TurnResponse? StoredAnswer, bool Claimed, HeldSession? Session);

/// <summary>A session a turn holds: its lock, the current generation's session key, and its history (within the bounds).</summary>
public sealed record HeldSession(HeldSessionLock Lock, string Key, IReadOnlyList<SessionTurn> History);
