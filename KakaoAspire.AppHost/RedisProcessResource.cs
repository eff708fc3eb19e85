namespace KakaoAspire.AppHost;

/// <summary>
/// A Redis-compatible server (Microsoft Garnet, hosted by KakaoAspire.RedisHost) run as a plain process,
/// for machines with no container runtime. It exposes the same connection string shape as Aspire's Redis
/// container, so <c>WithReference(redis)</c> and <c>AddRedisClient("redis")</c> work unchanged.
/// </summary>
public sealed class RedisProcessResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => _endpoint ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)},password={Password}");
}
