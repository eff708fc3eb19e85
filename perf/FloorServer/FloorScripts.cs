using StackExchange.Redis;

/// <summary>
/// The floor3 target's Redis work: one script per round trip, each running the commands the app's script in its place
/// runs on a first message of a free session (the webhook's TurnStartStore, the router's TurnStore begin and end), on
/// keys of their own. The commands, not the app's rules: no branch the load test never takes is written out.
/// <see cref="StartAndBeginAsync"/> is the floor2 target's first trip: the turn start and the router's begin in one
/// script, which a webhook that began the turn for the router would run (the design with one round trip fewer).
/// </summary>
internal static class FloorScripts
{
    // Inbound count, dedupe claim, the user's rate (GCRA: read, then set), held answers.
    private const string Start = """
        redis.call('HINCRBY', KEYS[1], 'count', 1)
        redis.call('HSET', KEYS[1], 'lastAt', ARGV[1])
        redis.call('SET', KEYS[2], ARGV[2], 'EX', 3, 'NX')
        local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
        redis.call('SET', KEYS[3], tostring(tat + 1000), 'PX', 1000)
        return {ARGV[2], 0, redis.call('LLEN', KEYS[4])}
        """;

    // Stored answer, turn claim, session lock, generation, history.
    private const string Begin = """
        local answer = redis.call('GET', KEYS[1])
        redis.call('SET', KEYS[2], ARGV[1], 'PX', 60000, 'NX')
        redis.call('SET', KEYS[3], ARGV[1], 'PX', 30000, 'NX')
        local stored = redis.call('GET', KEYS[4])
        return {'started', tonumber(stored) or 1, redis.call('LRANGE', KEYS[5], 0, -1)}
        """;

    // Lock check, the exchange appended (trimmed to 40 when over), its TTL, the answer stored, claim and lock released.
    private const string End = """
        local held = redis.call('GET', KEYS[1]) == ARGV[1]
        local length = redis.call('RPUSH', KEYS[4], ARGV[2], ARGV[3])
        if length > 40 then redis.call('LTRIM', KEYS[4], -40, -1) end
        redis.call('PEXPIRE', KEYS[4], 86400000)
        redis.call('SET', KEYS[2], ARGV[4], 'PX', 600000)
        redis.call('DEL', KEYS[3], KEYS[1])
        return 1 + redis.call('EXISTS', KEYS[5])
        """;

    // Start's commands, then Begin's, on the keys of both (KEYS[1..4] the start's, KEYS[5..9] the begin's).
    private const string StartAndBegin = """
        redis.call('HINCRBY', KEYS[1], 'count', 1)
        redis.call('HSET', KEYS[1], 'lastAt', ARGV[1])
        redis.call('SET', KEYS[2], ARGV[2], 'EX', 3, 'NX')
        local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
        redis.call('SET', KEYS[3], tostring(tat + 1000), 'PX', 1000)
        local held = redis.call('LLEN', KEYS[4])
        local answer = redis.call('GET', KEYS[5])
        redis.call('SET', KEYS[6], ARGV[3], 'PX', 60000, 'NX')
        redis.call('SET', KEYS[7], ARGV[3], 'PX', 30000, 'NX')
        local stored = redis.call('GET', KEYS[8])
        return {ARGV[2], 0, held, 'started', tonumber(stored) or 1, redis.call('LRANGE', KEYS[9], 0, -1)}
        """;

    public static Task StartAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(Start,
        ["floor:inbound", "floor:dedupe:" + turn.User + ":" + turn.Utterance, "floor:rate:" + turn.User, "floor:held:" + turn.User],
        [DateTimeOffset.UtcNow.ToString("O"), turn.User + ":" + turn.Utterance]);

    public static Task StartAndBeginAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(StartAndBegin,
        [
            "floor:inbound", "floor:dedupe:" + turn.User + ":" + turn.Utterance, "floor:rate:" + turn.User, "floor:held:" + turn.User,
            "floor:answer:" + turn.Utterance, "floor:running:" + turn.Utterance, "floor:lock:" + turn.User, "floor:gen:" + turn.User, "floor:turns:" + turn.User,
        ],
        [DateTimeOffset.UtcNow.ToString("O"), turn.User + ":" + turn.Utterance, turn.Utterance]);

    public static Task BeginAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(Begin,
        ["floor:answer:" + turn.Utterance, "floor:running:" + turn.Utterance, "floor:lock:" + turn.User, "floor:gen:" + turn.User, "floor:turns:" + turn.User],
        [turn.Utterance]);

    public static Task EndAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(End,
        ["floor:lock:" + turn.User, "floor:answer:" + turn.Utterance, "floor:running:" + turn.Utterance, "floor:turns:" + turn.User, "floor:waiters:" + turn.User],
        [turn.Utterance, "{\"role\":\"user\",\"text\":\"" + turn.Utterance + "\"}", "{\"role\":\"assistant\",\"text\":\"받은 메시지\"}", "{\"turnId\":\"" + turn.Utterance + "\",\"text\":\"받은 메시지\"}"]);
}
