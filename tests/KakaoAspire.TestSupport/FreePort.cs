using System.Net;
using System.Net.Sockets;

namespace KakaoAspire.TestSupport;

public static class FreePort
{
    /// <summary>A TCP port nothing listens on right now (the OS picks it), for configs that need a fixed port.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
