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
