using System.Text.Json;
using System.Text.Json.Serialization;
using KakaoAspire.Kakao.Skill;
using StackExchange.Redis;
using Yarp.ReverseProxy.Configuration;

// The load test's floor: the app's own design (edge -> webhook -> router -> Redis) with nothing but the hops, so
// perf/run-load.sh can say what the services cost above what their topology costs. One executable, three roles:
//   --role edge    --downstream http://127.0.0.1:<webhook port>   YARP in front of the webhook, like the app's edge
//   --role webhook --downstream http://127.0.0.1:<router port>    parses the skill request, asks the router over HTTP
//   --role router  --redis 127.0.0.1:<port>,password=<...>        one pipelined round trip (GET + SET EX of the session)
// and --urls http://127.0.0.1:<port> for where it listens. No telemetry, no logging, no resilience pipeline.
// With trips=3 (the floor3 target) it does the Redis work the app's design does per turn instead of one pipelined
// round trip: the webhook one script before it asks the router (with --redis too), the router one script to begin the
// turn and one to end it, each with the commands of the app's script in its place (FloorScripts). So floor3 against
// floor is what the design's three round trips cost, and the app against floor3 what the services add on top.
// With trips=2 (the floor2 target) the webhook's script also begins the turn for the router (FloorScripts.StartAndBegin)
// and the router only ends it: what the design would cost with one round trip fewer.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FloorJson.Default));
var role = builder.Configuration["role"];
var downstream = builder.Configuration["downstream"];
var trips = builder.Configuration["trips"] switch
{
    null or "" or "1" => 1,
    "2" => 2,
    "3" => 3,
    var other => throw new InvalidOperationException(
        $"trips is '{other}'; use 1 (one pipelined round trip, the default), 2 (turn start and begin in one script, then end) or 3 (the app's three scripts)."),
};

switch (role)
{
    case "edge":
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "webhook", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "webhook", Destinations = new Dictionary<string, DestinationConfig> { ["webhook"] = new() { Address = Required(downstream, "downstream") } } }]);
        var edge = builder.Build();
        edge.MapReverseProxy();
        edge.Run();
        break;

    case "webhook":
        // One pooled client for the process, as IHttpClientFactory gives the app's webhook.
        var router = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(Required(downstream, "downstream")),
        };
        var webhookRedis = trips > 1 ? (await Connect(builder.Configuration["redis"])).GetDatabase() : null;
        var webhook = builder.Build();
        webhook.MapPost("/kakao/webhook", async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            var read = await SkillJson.ParsePayloadAsync(request.Body, cancellationToken);
            if (!read.Success)
            {
                return Results.Problem(detail: read.Error, statusCode: StatusCodes.Status400BadRequest);
            }
            var turn = new Turn(read.Payload.StableUserId ?? "", read.Payload.Utterance!.Trim());
            if (webhookRedis is not null)
            {
                await (trips == 2 ? FloorScripts.StartAndBeginAsync(webhookRedis, turn) : FloorScripts.StartAsync(webhookRedis, turn));
            }
            using var response = await router.PostAsJsonAsync("/turn", turn, FloorJson.Default.Turn, cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync(FloorJson.Default.Answer, cancellationToken);
            return Results.File(SkillJson.SerializeToUtf8Bytes(SkillResponse.Text(answer!.Text)), "application/json; charset=utf-8");
        });
        webhook.MapGet("/health", () => "Healthy");
        webhook.Run();
        break;

    case "router":
        var db = (await Connect(builder.Configuration["redis"])).GetDatabase();
        var routerApp = builder.Build();
        routerApp.MapPost("/turn", async (Turn turn) =>
        {
            if (trips > 1)
            {
                if (trips == 3)
                {
                    await FloorScripts.BeginAsync(db, turn);
                }
                await FloorScripts.EndAsync(db, turn);
                return FloorAnswer(turn);
            }
            // Both commands leave before either answer is awaited: one round trip, as the app's turn would at best.
            RedisKey key = "floor:session:" + turn.User;
            var history = db.StringGetAsync(key);
            var write = db.StringSetAsync(key, turn.Utterance, TimeSpan.FromHours(24));
            await Task.WhenAll(history, write);
            return FloorAnswer(turn);
        });
        routerApp.Run();
        break;

    default:
        Console.Error.WriteLine("usage: FloorServer --role edge|webhook|router --urls http://127.0.0.1:<port> [--downstream <url>] [--redis <configuration>]");
        return 2;
}
return 0;

static Answer FloorAnswer(Turn turn) =>
    new($"받은 메시지: \"{turn.Utterance}\"\n(기본 에이전트가 답했어요. 이 대화에서 이전 메시지 0개를 기억하고 있어요. /help 로 명령을 볼 수 있어요.)");

// Replies on the thread pool, as the app's webhook and router read them (docs/benchmarks.md, session 9).
static Task<ConnectionMultiplexer> Connect(string? configuration)
{
    var options = ConfigurationOptions.Parse(Required(configuration, "redis"));
    options.SocketManager = SocketManager.ThreadPool;
    return ConnectionMultiplexer.ConnectAsync(options);
}

static string Required(string? value, string name) =>
    string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"--{name} is required for this role.") : value;

internal sealed record Turn(string User, string Utterance);

internal sealed record Answer(string Text);

// Web defaults (camelCase) on both sides of the webhook -> router call, as the minimal API writes them.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Turn))]
[JsonSerializable(typeof(Answer))]
internal sealed partial class FloorJson : JsonSerializerContext;
