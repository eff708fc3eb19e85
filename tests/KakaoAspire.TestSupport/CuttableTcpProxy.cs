using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace KakaoAspire.TestSupport;

/// <summary>
/// A loopback TCP proxy in front of a real server (e.g. <see cref="RedisServer"/>) for one client only: <see cref="Cut"/>
/// closes its connections and refuses new ones for a while, as a network blip between one service and Redis would,
/// while every other client of the server carries on.
/// </summary>
public sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _cutUntilTicks;

    public CuttableTcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection now and refuses new ones for <paramref name="duration"/>.</summary>
    public void Cut(TimeSpan duration)
    {
        Interlocked.Exchange(ref _cutUntilTicks, DateTime.UtcNow.Add(duration).Ticks);
        foreach (var (client, server) in _links)
        {
            client.Dispose();
            server.Dispose();
        }
        _links.Clear();
    }

    private bool IsCut => DateTime.UtcNow.Ticks < Interlocked.Read(ref _cutUntilTicks);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (IsCut)
            {
                client.Dispose();
                continue;
            }
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            _links[client] = server;
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut(TimeSpan.Zero);
        await _accepting;
        _stop.Dispose();
    }
}
