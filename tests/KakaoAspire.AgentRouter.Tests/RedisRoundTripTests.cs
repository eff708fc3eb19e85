using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace KakaoAspire.AgentRouter.Tests;

/// <summary>
/// What a turn costs Redis at the router, counted on the router's own connection: each command is a round trip a
/// Kakao user waits for and CPU the router and Redis spend, so the turn path must not grow again.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class RedisRoundTripTests(RedisFixture redis)
{
    private static string NewUser() => "User" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The commands the router sent to Redis during <paramref name="action"/> (the client's keep-alives left out).</summary>
    private static async Task<List<string>> CommandsDuringAsync(RouterFactory router, Func<Task> action)
    {
        var connection = router.Services.GetRequiredService<IConnectionMultiplexer>();
        var session = new ProfilingSession();
        connection.RegisterProfiler(() => session);
        try
        {
            await action();
        }
        finally
        {
            connection.RegisterProfiler(() => null);
        }
        return [.. session.FinishProfiling().Select(c => c.Command).Where(c => c is not ("PING" or "ECHO"))];
    }

    [Fact]
    public async Task A_turn_on_a_free_session_costs_two_Redis_commands_and_a_repeated_turn_id_one()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin()).Started();
        var user = NewUser();
        // The first turn of a router loads its scripts into Redis; what counts is every turn after it.
        await router.TurnAsync(user, "준비");
        var turn = RouterFactory.Turn(user, "하나");
        TurnResponse? first = null;
        TurnResponse? repeated = null;

        var turnCommands = await CommandsDuringAsync(router, async () => first = await router.TurnAsync(user, turn.Text, turn.TurnId));
        var repeatCommands = await CommandsDuringAsync(router, async () => repeated = await router.TurnAsync(user, turn.Text, turn.TurnId));

        // One script begins the turn (stored answer? claim, lock, generation, history), one ends it (history, answer, release).
        Assert.Equal(2, turnCommands.Count);
        Assert.All(turnCommands, c => Assert.StartsWith("EVAL", c));
        // A repeated turn id only reads the stored answer.
        Assert.Single(repeatCommands);
        Assert.Equal(first!.Text, repeated!.Text);
        Assert.Contains("이전 메시지 1개", first.Text);
        Assert.Equal(4, await redis.Db.ListLengthAsync(RouterRedisKeys.SessionTurns(first.SessionKey)));
        Assert.False(await redis.Db.KeyExistsAsync(RouterRedisKeys.TurnRunning(turn.TurnId)));
        Assert.False(await redis.Db.KeyExistsAsync(RouterRedisKeys.SessionLock(first.SessionKey)));
    }

    [Fact]
    public async Task Delivered_answers_are_forgotten_in_one_Redis_command_however_many_there_are()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin()).Started();
        using var client = router.CreateClient();
        var turnIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var turn = RouterFactory.Turn(NewUser(), $"메시지 {i}");
            (await router.PostTurnAsync(turn)).EnsureSuccessStatusCode();
            turnIds.Add(turn.TurnId);
        }
        HttpResponseMessage? delivered = null;

        var commands = await CommandsDuringAsync(router, async () =>
            delivered = await client.PostAsJsonAsync(InternalPaths.DeliveredTurns, new DeliveredTurns(turnIds)));

        Assert.Equal(HttpStatusCode.NoContent, delivered!.StatusCode);
        // One delete of all the keys (the client sends it as UNLINK where the server has it).
        Assert.Contains(Assert.Single(commands), new[] { "DEL", "UNLINK" });
        foreach (var turnId in turnIds)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(InternalPaths.Turn(turnId))).StatusCode);
        }
        // Forgetting twice (a callback and a retry both delivered it) is harmless.
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync(InternalPaths.DeliveredTurns, new DeliveredTurns(turnIds))).StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"turnIds":null}""")]
    [InlineData("""{"turnIds":["a",""]}""")]
    [InlineData("""{"turnIds":["a",null]}""")]
    public async Task A_delivered_call_without_a_usable_list_of_turn_ids_is_refused_naming_the_field(string body)
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        using var client = router.CreateClient();

        using var response = await client.PostAsync(InternalPaths.DeliveredTurns, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("turnIds", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_delivered_call_naming_more_turns_than_one_command_should_delete_is_refused()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        using var client = router.CreateClient();
        var tooMany = Enumerable.Range(0, KakaoAspire.AgentRouter.Turns.TurnsApi.MaxDeliveredTurns + 1).Select(i => $"turn-{i}").ToList();

        using var response = await client.PostAsJsonAsync(InternalPaths.DeliveredTurns, new DeliveredTurns(tooMany));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("turnIds", await response.Content.ReadAsStringAsync());
        using var few = await client.PostAsJsonAsync(InternalPaths.DeliveredTurns, new DeliveredTurns(tooMany[..3]));
        Assert.Equal(HttpStatusCode.NoContent, few.StatusCode);
    }

    [Fact]
    public async Task The_delivered_call_forgets_nothing_for_a_caller_without_the_gateway_token()
    {
        await using var router = new RouterFactory(redis.Server.ConnectionString, Configs.Builtin());
        var turn = RouterFactory.Turn(NewUser(), "지우지 마");
        (await router.PostTurnAsync(turn)).EnsureSuccessStatusCode();
        using var anonymous = router.Server.CreateClient();

        using var response = await anonymous.PostAsJsonAsync(InternalPaths.DeliveredTurns, new DeliveredTurns([turn.TurnId]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(await redis.Db.KeyExistsAsync(RouterRedisKeys.TurnAnswer(turn.TurnId)));
    }
}
