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
    // Inbound count, dedupe claim, the user's rate (GCRA: read, then set), held answers. Keys and arguments from
    // KEYS[k + 1] and ARGV[a + 1] on, so floor2's script runs the same commands on the keys after its own.
    private const string StartFunction = """
        local function start(k, a)
          redis.call('HINCRBY', KEYS[k + 1], 'count', 1)
          redis.call('HSET', KEYS[k + 1], 'lastAt', ARGV[a + 1])
          redis.call('SET', KEYS[k + 2], ARGV[a + 2], 'EX', 3, 'NX')
          local tat = tonumber(redis.call('GET', KEYS[k + 3]) or '0')
          redis.call('SET', KEYS[k + 3], tostring(tat + 1000), 'PX', 1000)
          return {ARGV[a + 2], 0, redis.call('LLEN', KEYS[k + 4])}
        end

        """;

    // Stored answer, turn claim, session lock, generation, history; offsets as in StartFunction.
    private const string BeginFunction = """
        local function begin(k, a)
          local answer = redis.call('GET', KEYS[k + 1])
          redis.call('SET', KEYS[k + 2], ARGV[a + 1], 'PX', 60000, 'NX')
          redis.call('SET', KEYS[k + 3], ARGV[a + 1], 'PX', 30000, 'NX')
          local stored = redis.call('GET', KEYS[k + 4])
          return {'started', tonumber(stored) or 1, redis.call('LRANGE', KEYS[k + 5], 0, -1)}
        end

        """;

    private const string Start = StartFunction + "return start(0, 0)";

    private const string Begin = BeginFunction + "return begin(0, 0)";

    // Start's keys and arguments first, then Begin's: KEYS[1..4] and ARGV[1..2], then KEYS[5..9] and ARGV[3].
    private const string StartAndBegin = StartFunction + BeginFunction + """
        local started = start(0, 0)
        return {started, begin(4, 2)}
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

    public static Task StartAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(Start, StartKeys(turn), StartArguments(turn));

    public static Task StartAndBeginAsync(IDatabase db, Turn turn) =>
        db.ScriptEvaluateAsync(StartAndBegin, [.. StartKeys(turn), .. BeginKeys(turn)], [.. StartArguments(turn), .. BeginArguments(turn)]);

    public static Task BeginAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(Begin, BeginKeys(turn), BeginArguments(turn));

    public static Task EndAsync(IDatabase db, Turn turn) => db.ScriptEvaluateAsync(End,
        ["floor:lock:" + turn.User, "floor:answer:" + turn.Utterance, "floor:running:" + turn.Utterance, "floor:turns:" + turn.User, "floor:waiters:" + turn.User],
        [turn.Utterance, "{\"role\":\"user\",\"text\":\"" + turn.Utterance + "\"}", "{\"role\":\"assistant\",\"text\":\"받은 메시지\"}", "{\"turnId\":\"" + turn.Utterance + "\",\"text\":\"받은 메시지\"}"]);

    private static RedisKey[] StartKeys(Turn turn) =>
        ["floor:inbound", "floor:dedupe:" + turn.User + ":" + turn.Utterance, "floor:rate:" + turn.User, "floor:held:" + turn.User];

    private static RedisValue[] StartArguments(Turn turn) => [DateTimeOffset.UtcNow.ToString("O"), turn.User + ":" + turn.Utterance];

    private static RedisKey[] BeginKeys(Turn turn) =>
        ["floor:answer:" + turn.Utterance, "floor:running:" + turn.Utterance, "floor:lock:" + turn.User, "floor:gen:" + turn.User, "floor:turns:" + turn.User];

    private static RedisValue[] BeginArguments(Turn turn) => [turn.Utterance];
}
