using KakaoAspire.TestSupport;
using StackExchange.Redis;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The embedded Redis (Garnet) runs with small log and append-only-file pages. The page size is part of the append-only
/// file's format: a file an earlier version wrote with Garnet's default pages must still replay in full after the upgrade.
/// </summary>
public sealed class RedisStoreSizingTests
{
    // Enough writes to fill several small pages (8 MB) of the append-only file, where a wrong page size loses data.
    private const int Keys = 12_000;

    [Fact]
    public async Task Data_written_by_the_earlier_sizes_is_all_there_after_a_restart_with_the_current_ones()
    {
        // The earlier version's sizes: 256m of log in Garnet's default 16 MB pages, the append-only file's default 32 MB pages.
        await using var redis = await RedisServer.StartAsync(
            extraArguments: ["--memory", "256m", "--page", "16m", "--aof-page-size", "32m", "--aof-memory", "64m"]);
        await WriteAsync(redis);

        redis.Kill();
        redis.ExtraArguments = [];
        await redis.RestartAsync();

        await AssertAllThereAsync(redis);
    }

    [Fact]
    public async Task Data_written_with_the_previous_recorded_page_size_is_all_there_after_a_restart_with_the_current_sizes()
    {
        // The previous version's sizes: 4 MB log pages, 8 MB append-only-file pages, recorded in the data folder.
        await using var redis = await RedisServer.StartAsync(
            extraArguments: ["--page", "4m", "--aof-page-size", "8m", "--aof-memory", "16m"]);
        await WriteAsync(redis);
        redis.Kill();
        await File.WriteAllTextAsync(Path.Combine(redis.DataPath, "AOF", "kakaoaspire-aof-page-size"), "8m\n");

        redis.ExtraArguments = [];
        await redis.RestartAsync();

        await AssertAllThereAsync(redis);
    }

    [Fact]
    public async Task Data_written_with_the_current_sizes_is_all_there_after_a_crash_and_restart()
    {
        await using var redis = await RedisServer.StartAsync();
        await WriteAsync(redis);

        redis.Kill();
        await redis.RestartAsync();

        await AssertAllThereAsync(redis);
    }

    [Fact]
    public async Task Keys_a_turn_writes_and_deletes_do_not_grow_the_in_memory_log()
    {
        // Each skill turn writes keys that are gone a moment later (its claim, the session lock, the delivered answer).
        // Garnet reuses a deleted record's space (--reviv) instead of appending every new key to its 64 MB in-memory log,
        // which otherwise fills and sets the process's peak memory.
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();
        var before = await LogTailAsync(db);

        const int turns = 40_000;
        for (var start = 0; start < turns; start += 100)
        {
            var batch = Enumerable.Range(start, 100).ToArray();
            await Task.WhenAll(batch.Select(i => db.StringSetAsync($"turn:{i}:answer", Value(i)[..300], TimeSpan.FromMinutes(2))));
            await db.KeyDeleteAsync(batch.Select(i => (RedisKey)$"turn:{i}:answer").ToArray());
        }

        // Appended, 40,000 records of ~340 bytes take 13 MB of log; reused, the log holds about one batch.
        var grown = await LogTailAsync(db) - before;
        Assert.True(grown < 2_000_000, $"the in-memory log grew by {grown:N0} bytes for {turns:N0} written and deleted keys");
        Assert.False(await db.KeyExistsAsync("turn:0:answer"));
    }

    [Fact]
    public async Task Deleted_keys_stay_deleted_and_keys_written_into_reused_space_are_there_after_a_crash_and_restart()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var db = connection.GetDatabase();
            await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => db.StringSetAsync($"old:{i}", Value(i))));
            await db.KeyDeleteAsync(Enumerable.Range(0, 2_000).Select(i => (RedisKey)$"old:{i}").ToArray());
            // Same-sized records: written into the space the deleted ones left.
            await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => db.StringSetAsync($"new:{i}", Value(i))));
            // And some deleted keys written again with other values.
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => db.StringSetAsync($"old:{i}", Value(i + 10_000))));
        }

        redis.Kill();
        await redis.RestartAsync();

        await using var reconnected = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var after = reconnected.GetDatabase();
        var news = await after.StringGetAsync(Enumerable.Range(0, 2_000).Select(i => (RedisKey)$"new:{i}").ToArray());
        Assert.DoesNotContain(Enumerable.Range(0, 2_000), i => news[i] != Value(i));
        var olds = await after.StringGetAsync(Enumerable.Range(0, 2_000).Select(i => (RedisKey)$"old:{i}").ToArray());
        Assert.DoesNotContain(Enumerable.Range(0, 500), i => olds[i] != Value(i + 10_000));
        Assert.DoesNotContain(Enumerable.Range(500, 1_500), i => olds[i].HasValue);
    }

    [Fact]
    public async Task A_store_larger_than_the_in_memory_log_keeps_answering_and_keeps_every_message()
    {
        // Queued Friend Talk messages are hashes, counted in the log's 64 MB budget with what they hold: 100,000 of
        // them (~100 MB) must spill to the disk tier, not stall the writers or lose the oldest.
        await using var redis = await RedisServer.StartAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();
        const int messages = 100_000;
        var body = new string('가', 200);
        for (var start = 0; start < messages; start += 1_000)
        {
            var writes = Enumerable.Range(start, 1_000).Select(i => db.HashSetAsync($"msg:{i}",
                [new("body", $"{i}:{body}"), new("to", "01012345678"), new("status", "queued")]));
            await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var sample = Enumerable.Range(0, messages).Where(i => i % 50 == 0).ToArray();
        var bodies = await Task.WhenAll(sample.Select(i => db.HashGetAsync($"msg:{i}", "body"))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(Enumerable.Range(0, sample.Length), n => bodies[n] != $"{sample[n]}:{body}");
        Assert.True(await LogHeadAsync(db) > 64, "nothing spilled to disk: the test no longer outgrows the in-memory log");
    }

    private static async Task<long> LogHeadAsync(IDatabase db) => await StoreFigureAsync(db, "Log.HeadAddress");

    private static async Task<long> LogTailAsync(IDatabase db) => await StoreFigureAsync(db, "Log.TailAddress");

    private static async Task<long> StoreFigureAsync(IDatabase db, string name)
    {
        var info = (string)(await db.ExecuteAsync("INFO", "store"))!;
        var line = info.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Value(int i) => $"{i}:" + new string('x', 1_000);

    private static async Task WriteAsync(RedisServer redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();
        for (var start = 0; start < Keys; start += 500)
        {
            var writes = Enumerable.Range(start, Math.Min(500, Keys - start))
                .SelectMany(i => new Task[] { db.StringSetAsync($"k:{i}", Value(i)), db.ListRightPushAsync("list", i) });
            await Task.WhenAll(writes);
        }
    }

    private static async Task AssertAllThereAsync(RedisServer redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();
        var missing = 0;
        for (var start = 0; start < Keys; start += 500)
        {
            var keys = Enumerable.Range(start, Math.Min(500, Keys - start)).ToArray();
            var values = await db.StringGetAsync(keys.Select(i => (RedisKey)$"k:{i}").ToArray());
            missing += keys.Where((i, n) => values[n] != Value(i)).Count();
        }
        Assert.Equal(0, missing);
        Assert.Equal(Keys, await db.ListLengthAsync("list"));
    }
}
