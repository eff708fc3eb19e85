using Yarp.ReverseProxy.Configuration;

namespace KakaoAspire.Edge.Routing;

/// <summary>The public routes and which service owns each (docs/contracts.md#routes).</summary>
public static class ProxyRoutes
{
    /// <summary>The simulator route exists in Development only (and even then only local callers reach it).</summary>
    public static IReadOnlyList<RouteConfig> Routes(bool development) =>
        development ? [.. PublicRoutes(), SimulatorRoute] : PublicRoutes();

    private static readonly RouteConfig SimulatorRoute =
        new() { RouteId = "simulator", ClusterId = "webhook", Match = new RouteMatch { Path = DevelopmentRoutes.SimulatorPrefix + "/{**rest}" } };

    private static IReadOnlyList<RouteConfig> PublicRoutes() =>
    [
        new RouteConfig
        {
            RouteId = "kakao-skill",
            ClusterId = "webhook",
            Match = new RouteMatch
            {
                Path = InternalPaths.Skill,
                // Only requests the account routing matched carry this header; a caller's own copy was removed.
                Headers = [new RouteHeader { Name = InternalHeaders.Account, Mode = HeaderMatchMode.Exists }],
            },
        },
        new RouteConfig { RouteId = "api-messages", ClusterId = "friendtalk", Match = new RouteMatch { Path = "/api/v1/messages/{**rest}" } },
        new RouteConfig { RouteId = "api-status", ClusterId = "webhook", Match = new RouteMatch { Path = "/api/v1/status" } },
        new RouteConfig { RouteId = "api-pairing", ClusterId = "webhook", Match = new RouteMatch { Path = "/api/v1/pairing/{**rest}" } },
    ];

    public static IReadOnlyList<ClusterConfig> Clusters() =>
    [
        Cluster("webhook"),
        Cluster("friendtalk"),
    ];

    private static ClusterConfig Cluster(string service) => new()
    {
        ClusterId = service,
        // Resolved through service discovery (services__<name>__http__0, injected by the AppHost).
        Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"http://{service}" } },
    };
}
