using System.Globalization;

namespace KakaoAspire.AppHost.Tests;

[Collection(AppCollection.Name)]
public sealed class ListeningTests(AppFixture fixture)
{
    [Fact]
    public void TheEdgeListensOnAllInterfacesAndTheOtherServicesOnlyOnLoopback()
    {
        var edge = ListeningAddresses(fixture.DefaultPort);
        Assert.NotEmpty(edge);
        Assert.All(edge, address => Assert.True(address is "0.0.0.0" or "::", $"edge listens on {address}"));

        foreach (var service in new[] { "webhook", "agent-router", "friendtalk" })
        {
            var port = fixture.App.GetEndpoint(service, "http").Port;
            var addresses = ListeningAddresses(port);
            Assert.NotEmpty(addresses);
            Assert.All(addresses, address => Assert.True(address is "127.0.0.1" or "::1", $"{service} listens on {address}:{port}"));
        }
    }

    /// <summary>The local addresses of the sockets listening on a TCP port, read from the kernel's own table.</summary>
    private static List<string> ListeningAddresses(int port)
    {
        var result = new List<string>();
        foreach (var (file, v6) in new[] { ("/proc/net/tcp", false), ("/proc/net/tcp6", true) })
        {
            if (!File.Exists(file))
            {
                continue;
            }
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = parts[1].Split(':');
                const string listen = "0A";
                if (parts[3] != listen || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
                {
                    continue;
                }
                result.Add(Decode(local[0], v6));
            }
        }
        return result;
    }

    private static string Decode(string hex, bool v6)
    {
        var bytes = Convert.FromHexString(hex);
        // /proc prints each 32-bit word in host (little-endian) order.
        for (var i = 0; i < bytes.Length; i += 4)
        {
            Array.Reverse(bytes, i, 4);
        }
        var address = new System.Net.IPAddress(bytes);
        if (v6 && address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return address.ToString();
    }
}
