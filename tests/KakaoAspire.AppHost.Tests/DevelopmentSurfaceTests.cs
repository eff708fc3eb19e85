using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace KakaoAspire.AppHost.Tests;

/// <summary>
/// The developer start (the AppHost's own launch profile: Development): the simulator is there for the developer's
/// browser on this machine, and for nobody else — not another machine, not the internet through a local tunnel.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DevelopmentSurfaceTests(AppFixture fixture, ITestOutputHelper output)
{
    private static readonly (string Method, string Path)[] SimulatorRoutes =
    [
        ("GET", "/simulator/"), ("GET", "/simulator/app.js"), ("GET", "/simulator/api/accounts"), ("GET", "/simulator/api/outbox"),
        ("POST", "/simulator/api/send"), ("GET", "/simulator/api/callbacks/abc"), ("POST", "/simulator/callback/abc"),
    ];

    [Fact]
    public async Task The_simulator_through_the_edge_answers_404_to_a_caller_from_another_address_and_200_on_loopback()
    {
        using var local = fixture.EdgeClient(fixture.DefaultPort);
        using var page = await local.GetAsync("/simulator/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the control: the developer's own browser

        var addresses = EdgeClients.InterfaceAddresses();
        output.WriteLine($"non-loopback addresses of this machine: {string.Join(", ", addresses)}");
        foreach (var address in addresses)
        {
            using var remote = EdgeClients.From(address, address, fixture.DefaultPort);
            foreach (var (method, path) in SimulatorRoutes)
            {
                using var response = await remote.SendAsync(Request(method, path));
                output.WriteLine($"from {address}: {method} {path} → {(int)response.StatusCode}");
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} from {address}: {(int)response.StatusCode}");
            }
        }
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("CF-Connecting-IP", "203.0.113.7")]
    public async Task A_tunnel_on_this_machine_forwarding_for_the_internet_does_not_reach_the_simulator(string header, string value)
    {
        // ngrok or cloudflared connect over loopback, but name the client they forward for.
        using var client = fixture.EdgeClient(fixture.DefaultPort);
        foreach (var (method, path) in SimulatorRoutes)
        {
            var request = Request(method, path);
            request.Headers.TryAddWithoutValidation(header, value);
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} with {header}: {(int)response.StatusCode}");
        }
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("""{"userId":"x","text":"hi"}""", Encoding.UTF8, "application/json") : null,
    };
}
