using KakaoAspire.TestSupport;
using StackExchange.Redis;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The embedded Redis host runs a Lua script as one step, as Redis does: every store's script (the session lock's
/// compare-and-release, the rate limit, the outbound claims) reads and then writes, and another client's commands must
/// not land in between.
/// </summary>
public sealed class RedisScriptAtomicityTests
{
    // Reads the counter, writes another key, then writes the counter back one higher: a command from another client
    // between the read and the last write loses an update.
    private const string ReadThenWrite = """
        local count = tonumber(redis.call('GET', KEYS[1]) or '0')
        redis.call('SET', KEYS[2], ARGV[1])
        redis.call('SET', KEYS[1], tostring(count + 1))
        return count + 1
        """;

    [Fact]
    public async Task Eight_clients_running_a_read_then_write_script_at_once_lose_no_update()
    {
        await using var redis = await RedisServer.StartAsync();
        const int clients = 8, runs = 2_000;
        var connections = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => ConnectionMultiplexer.ConnectAsync(redis.ConnectionString)));
        try
        {
            await Task.WhenAll(connections.Select(async (connection, client) =>
            {
                var db = connection.GetDatabase();
                for (var run = 0; run < runs; run++)
                {
                    await db.ScriptEvaluateAsync(ReadThenWrite, ["counter", $"last:{client}"], [run]).WaitAsync(TimeSpan.FromSeconds(10));
                }
            })).WaitAsync(TimeSpan.FromSeconds(90));

            Assert.Equal(clients * runs, (long)await connections[0].GetDatabase().StringGetAsync("counter"));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
