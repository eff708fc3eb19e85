using KakaoAspire.TestSupport;
using StackExchange.Redis;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The embedded Redis host runs Garnet's expired-key scan itself, at the period the AppHost gives, and only after writes:
/// expired keys written by a busy app are removed, and a store nobody writes to is not walked every period.
/// </summary>
public sealed class RedisExpiryScanTests
{
    [Fact]
    public async Task Expired_keys_are_removed_after_writes_and_a_store_nobody_writes_to_is_left_alone()
    {
        await using var redis = await RedisServer.StartAsync(extraArguments: ["--expired-key-deletion-scan-freq", "1"]);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var db = connection.GetDatabase();

        // Written, then expired 0.3 s later, while the app goes on writing: the host's scans in the next seconds remove
        // them, so a scan of our own finds none left. (EXPDELSCAN is refused while Garnet runs its own schedule, so its
        // answer also shows that one is off.)
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => db.StringSetAsync($"claim:{i}", "x", TimeSpan.FromMilliseconds(300))));
        for (var i = 0; i < 25; i++)
        {
            await db.HashIncrementAsync("account:stats", "requests");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        Assert.Equal(0, await ExpiredFoundByOurScanAsync(db));

        // Written with 6 s to live, then nothing more is written: the host scans once after the writes (nothing has
        // expired yet) and then leaves the store alone, so the keys that expire later are still there for our scan.
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => db.StringSetAsync($"dedupe:{i}", "x", TimeSpan.FromSeconds(6))));
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Equal(500, await ExpiredFoundByOurScanAsync(db));
    }

    private static async Task<long> ExpiredFoundByOurScanAsync(IDatabase db)
    {
        var result = (RedisResult[])(await db.ExecuteAsync("EXPDELSCAN"))!;
        return (long)result[0];
    }
}
