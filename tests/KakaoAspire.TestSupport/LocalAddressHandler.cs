using System.Net;
using System.Net.Sockets;

namespace KakaoAspire.TestSupport;

/// <summary>
/// HTTP handlers whose connections leave from a chosen local address: another loopback address (Linux routes all of
/// 127.0.0.0/8 to lo), so per-address limits count each test as a machine of its own, or a real interface's address.
/// </summary>
public static class LocalAddressHandler
{
    public static SocketsHttpHandler From(IPAddress local) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
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
