using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Tests.Support;

/// <summary>One real Garnet per test class; each test starts from an empty database.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task FlushAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Server.ConnectionString + ",allowAdmin=true");
        await connection.GetServer(connection.GetEndPoints()[0]).FlushAllDatabasesAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
