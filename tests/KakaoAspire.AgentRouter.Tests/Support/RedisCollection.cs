namespace KakaoAspire.AgentRouter.Tests;

/// <summary>One real Garnet (TestSupport's <see cref="RedisFixture"/>) for the whole test assembly; tests keep apart by using their own user ids.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
