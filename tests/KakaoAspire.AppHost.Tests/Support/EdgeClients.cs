using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace KakaoAspire.AppHost.Tests;

/// <summary>Clients of the edge that connect from a chosen local address: another loopback address, or a real interface's.</summary>
public static class EdgeClients
{
    /// <summary>An HTTP client whose connections leave from <paramref name="local"/> to <paramref name="server"/>:<paramref name="port"/>.</summary>
    public static HttpClient From(IPAddress local, IPAddress server, int port) =>
        new(LocalAddressHandler.From(local))
        {
            BaseAddress = new Uri($"http://{(server.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{server}]" : server.ToString())}:{port}"),
            Timeout = AppFixture.RequestTimeout,
        };

    /// <summary>This machine's own IPv4 addresses that are not loopback (what another machine on the network would dial).</summary>
    public static IReadOnlyList<IPAddress> InterfaceAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
}
