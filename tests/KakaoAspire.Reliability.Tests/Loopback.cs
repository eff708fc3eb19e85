using System.Net;
using System.Net.Sockets;

namespace KakaoAspire.Reliability.Tests;

/// <summary>HTTP handlers whose connections leave from a chosen loopback address (Linux routes all of 127.0.0.0/8 to lo).</summary>
public static class Loopback
{
    public static SocketsHttpHandler From(IPAddress local) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
