using System.Collections.Concurrent;
using KakaoAspire.Moltbot.Config;
using Microsoft.Extensions.Options;

namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// One connection per gateway URL for the whole router (config: <c>channels.kakao.moltbotGateway</c>). When an agent
/// runs in the gateway, the connection opens at start, so a wrong token shows in the log before the first message.
/// </summary>
public sealed class GatewayConnections(
    MoltbotConfig config, GatewayDevice device, IOptions<GatewayClientOptions> options, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Uri, Lazy<GatewayConnection>> _connections = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<GatewayConnections>();

    public bool AnyAgentOnGateway => config.UsesGateway;

    /// <summary>The configured gateway.</summary>
    internal GatewayConnection Default => For(GatewayHandshake.WebSocketUrl(config.Kakao.MoltbotGateway.Url));

    private GatewayConnection For(Uri url) => _connections.GetOrAdd(url, u => new Lazy<GatewayConnection>(() =>
        new GatewayConnection(u,
            new GatewayCredentials(config.Kakao.MoltbotGateway.EffectiveToken(config.Gateway), device.Identity, $"{u.Scheme}://{u.Authority}"),
            options.Value, _logger))).Value;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Moltbot config: {ConfigPath}", config.SourcePath ?? "(none found: defaults)");
        if (AnyAgentOnGateway)
        {
            _logger.LogInformation("Agents {GatewayAgents} run in the OpenClaw gateway at {Gateway}",
                string.Join(", ", GatewayAgentIds()), Default.Display);
            Default.Start();
        }
        return Task.CompletedTask;
    }

    private IEnumerable<string> GatewayAgentIds() => config.Agents
        .Where(a => a.Model.Provider == AgentModelProvider.Moltbot).Select(a => a.Model.AgentId ?? a.Id)
        .Concat(config.Bindings.Where(b => config.FindAgent(b.AgentId) is null).Select(b => b.AgentId))
        .Distinct();

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var url in _connections.Keys.ToList())
        {
            if (_connections.TryRemove(url, out var connection) && connection.IsValueCreated)
            {
                await connection.Value.DisposeAsync();
            }
        }
    }
}
