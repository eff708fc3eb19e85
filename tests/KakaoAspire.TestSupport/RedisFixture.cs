using StackExchange.Redis;

namespace KakaoAspire.TestSupport;

/// <summary>
/// One real Garnet process (<see cref="RedisServer"/>) and a connection to it, for a test class (<c>IClassFixture</c>) or
/// a collection. Tests keep apart by their own keys, or start from an empty database with <see cref="FlushAsync"/>.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public IDatabase Db => Connection.GetDatabase();

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString);
    }

    /// <summary>
    /// Empties every database, so the next test starts from nothing. Only for small data: after a FLUSHALL, Garnet
    /// (2.2.8-2.2.12) never flushes its log to disk again, so a store that then outgrows the in-memory log hangs its
    /// writers (docs/benchmarks.md, "Session 10"). A test that fills the store starts a Garnet of its own.
    /// </summary>
    public async Task FlushAsync()
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString + ",allowAdmin=true");
        await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}
